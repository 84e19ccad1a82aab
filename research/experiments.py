"""Ablations on dumped features; prints one line per (idea, seed). Usage: experiments.py SET K"""
import sys; sys.path.insert(0, 'research')
from proto import *
from experiments_lib import fmt, groups, sl_fallback
name, K = sys.argv[1], int(sys.argv[2])
x, y = load(name); xc = centre(x); nb = knn(x, 20); nbc = knn(xc, 20)
print(name, 'n', len(y), '20-NN purity raw', (y[nb] == y[:, None]).mean(), 'centred', (y[nbc] == y[:, None]).mean(), flush=True)
for seed in range(3):
    rng = np.random.default_rng(seed)
    a, _ = kmeans(xc, K, rng, n_init=10); print('kmeans-centred', seed, fmt(score(y, a)), flush=True)
    a, _ = kmeans(x, K, rng, n_init=10); print('kmeans-raw', seed, fmt(score(y, a)), flush=True)
    a, _ = kmeans(xc, 3*K, rng, n_init=3); print('kmeans-3K+merge', seed, fmt(score(y, merge(a, nbc, K))), flush=True)
    for lam in [5, 2]:
        l, p, W, b = scan(xc, nbc, K, rng, heads=3, epochs=50, scale=10, lam=lam); print(f'scan-K-cos10-lam{lam}', seed, fmt(score(y, p.argmax(1))), flush=True)
    for K2m in [3, 5]:
        K2 = K2m*K
        for sc in [10, 20]:
            l, p, W, b = scan(xc, nbc, K2, rng, heads=3, epochs=50, scale=sc); a = p.argmax(1)
            m = merge(a, nbc, K); P = p @ groups(a, m, K2, K)
            print(f'scan-{K2m}K-cos{sc}+merge', seed, fmt(score(y, m)), 'conf>.99 %.3f' % (P.max(1) > .99).mean(), flush=True)
            if K2m == 3 and sc == 10:
                tr, _ = merge_trace(a, nbc); print('  trace', [(mm, round(v, 3)) for mm, v in tr if mm <= 2*K], flush=True)
                for thr in [0.99, 0.9]:
                    q, ns = self_label(xc, P, K, rng, thr=thr, drop=0.2); print(f'  +selflabel thr{thr}', seed, fmt(score(y, q.argmax(1))), ns, flush=True)
                keep = sl_fallback(P, 0.99)
                Pk = P.copy(); Pk[~keep] = 0  # only kept rows have max>thr trick below
                q, ns = self_label(xc, np.where(keep[:, None], np.eye(K)[P.argmax(1)], P*0), K, rng, thr=0.5, drop=0.2)
                print('  +selflabel 0.99+top50%/cluster', seed, fmt(score(y, q.argmax(1))), ns, flush=True)
