"""Which merge criterion turns a 3K SCAN over-clustering into K good groups? usage: SET K"""
import sys; sys.path.insert(0, 'research')
from proto import *
from experiments_lib import fmt
name, K = sys.argv[1], int(sys.argv[2])
x, y = load(name); xc = centre(x); nbc = knn(xc, 20)
rng = np.random.default_rng(0)
l, p, W, b = scan(xc, nbc, 3*K, rng, heads=1, epochs=40, scale=10); a = p.argmax(1)
np.save(f'/tmp/{name}-assign.npy', a); np.save(f'/tmp/{name}-nbc.npy', nbc)
print(name, 'over-clusters', fmt(score(y, a)), flush=True)

def merge_mod(labels, nb, K, auto=False):
    labels = labels.copy(); ids = list(np.unique(labels)); idx = {c: i for i, c in enumerate(ids)}
    li = np.array([idx[c] for c in labels]); m = len(ids)
    E = np.zeros((m, m)); np.add.at(E, (np.repeat(li, nb.shape[1]), li[nb].ravel()), 1); E = E+E.T
    tot = E.sum(); deg = E.sum(1); alive = np.ones(m, bool); parent = np.arange(m); trace = []
    while alive.sum() > (1 if auto else K):
        A = E/tot - np.outer(deg, deg)/tot**2; A[~alive] = -np.inf; A[:, ~alive] = -np.inf; np.fill_diagonal(A, -np.inf)
        i, j = np.unravel_index(A.argmax(), A.shape); trace.append((alive.sum(), A[i, j]*2))
        if auto and A[i, j] <= 0: break
        E[i] += E[j]; E[:, i] += E[:, j]; E[j] = 0; E[:, j] = 0; deg[i] += deg[j]; deg[j] = 0; alive[j] = False; parent[parent == j] = i
    return parent[li], trace
for how in ['min', 'sqrt', 'avg']:
    m = merge(a, nbc, K, how); print(' ', how, fmt(score(y, m)), 'largest', np.bincount(m).max(), flush=True)
m, tr = merge_mod(a, nbc, K); print('  modularity', fmt(score(y, m)), 'largest', np.bincount(m).max(), flush=True)
print('   dQ trace', [(g, round(v, 4)) for g, v in tr[-12:]])
m, tr = merge_mod(a, nbc, K, auto=True); print('  modularity-auto', fmt(score(y, m)), 'groups', len(np.unique(m)), flush=True)
