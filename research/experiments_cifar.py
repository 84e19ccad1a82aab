"""Fewer ablations for the 10,000-photo CIFAR-10 set (one seed): usage experiments_cifar.py SEED"""
import sys; sys.path.insert(0, 'research')
from proto import *
from experiments_lib import groups, sl_fallback, fmt
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
x, y = load('cifar10-test'); K = 10; xc = centre(x)
nb = knn(x, 20); nbc = knn(xc, 20)
print('cifar10 20-NN purity raw', (y[nb] == y[:, None]).mean(), 'centred', (y[nbc] == y[:, None]).mean(), flush=True)
rng = np.random.default_rng(seed)
a, _ = kmeans(xc, K, rng, n_init=3); print('kmeans-centred', seed, fmt(score(y, a)), flush=True)
l, p, W, b = scan(xc, nbc, K, rng, heads=3, epochs=40, scale=10); print('scan-K-cos10-lam5', seed, fmt(score(y, p.argmax(1))), flush=True)
for K2m in [3, 5]:
    K2 = K2m*K
    l, p, W, b = scan(xc, nbc, K2, rng, heads=3, epochs=40, scale=10); a = p.argmax(1)
    print(f'scan-{K2m}K-cos10 (before merge)', seed, fmt(score(y, a)), flush=True)
    tr, snaps = merge_trace(a, nbc); print('  trace', [(mm, round(v, 3)) for mm, v in tr if mm <= 3*K], flush=True)
    m = snaps[K]; print(f'scan-{K2m}K-cos10+merge', seed, fmt(score(y, m)), 'sizes', sorted(np.bincount(m)[np.bincount(m) > 0]), flush=True)
    P = p @ groups(a, m, K2, K); keep = sl_fallback(P, 0.99)
    q, ns = self_label(xc, np.where(keep[:, None], np.eye(K)[P.argmax(1)], 0), K, rng, thr=0.5, drop=0.2)
    print(f'  +selflabel 0.99+top50%', seed, fmt(score(y, q.argmax(1))), ns, flush=True)
