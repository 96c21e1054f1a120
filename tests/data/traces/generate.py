# Seeded synthetic traces for tests/tst_conformance (generated once and committed: `python3 generate.py`);
# their miss counts per policy are in reference.tsv.
import random, math
def write(name, keys):
    with open(name + ".keys", "w") as f:
        f.write("".join(f"{k}\n" for k in keys))
N = 20000
# 1. zipf-like skew over 2,000 keys (alpha ~0.9 by inverse transform on a discrete table)
r = random.Random(1)
w = [1 / (i ** 0.9) for i in range(1, 2001)]
write("zipf", r.choices(range(1, 2001), weights=w, k=N))
# 2. loops: a 1,500-key loop, with 20 % of the requests on a 100-key hot set (LIRS-like)
r = random.Random(2); keys = []; i = 0
while len(keys) < N:
    if r.random() < 0.2: keys.append(100000 + r.randrange(100))
    else: keys.append(1 + i % 1500); i += 1
write("loop", keys)
# 3. a skewed hot set of 300 keys, with a one-time scan of 1,200 new keys every 4,000 requests
r = random.Random(3); keys = []; scan = 500000
w = [1 / (i ** 0.8) for i in range(1, 301)]
while len(keys) < N:
    keys += r.choices(range(1, 301), weights=w, k=2800)
    keys += range(scan, scan + 1200); scan += 1200
write("scan", keys[:N])
# 4. a working set of 600 keys that moves by 150 keys every 2,500 requests
r = random.Random(4); keys = []
for i in range(N):
    base = (i // 2500) * 150
    keys.append(200000 + base + int(600 * r.random() ** 2))
write("shift", keys)
