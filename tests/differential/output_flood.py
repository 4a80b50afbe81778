"""Prints a lot: 100,000 numbered lines."""

for i in range(100_000):
    print(f"line {i:06d}")
print("the last line")
