"""A threading.Timer fires after the main thread has finished."""

import threading

threading.Timer(0.2, print, args=("timer fired",)).start()
print("timer armed")
