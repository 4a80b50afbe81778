"""input() with nothing to read raises EOFError."""

print("what is your name?")
name = input()
print("hello", name)
