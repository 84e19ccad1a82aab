"""Quick numpy prototype of SCAN variants on dumped features (research only, not product code)."""
import json, sys, time
import numpy as np
from scipy.optimize import linear_sum_assignment

def load(name):
    m = json.load(open(f'.cache/features/{name}.json'))
    x = np.fromfile(f'.cache/features/{name}.f32', dtype=np.float32).reshape(m['n'], m['dim'])
    return x, np.array(m['labels'])

def score(t, p):
    _, ti = np.unique(t, return_inverse=True); _, pi = np.unique(p, return_inverse=True)
    M = np.zeros((ti.max()+1, pi.max()+1)); np.add.at(M, (ti, pi), 1)
    r, c = linear_sum_assignment(-M); acc = M[r, c].sum()/M.sum()
    N = M.sum(); P = M/N; a = P.sum(1); b = P.sum(0); nz = P > 0
    mi = (P[nz]*np.log(P[nz]/np.outer(a, b)[nz])).sum()
    ha = -(a[a>0]*np.log(a[a>0])).sum(); hb = -(b[b>0]*np.log(b[b>0])).sum()
    nmi = mi/((ha+hb)/2)
    c2 = lambda v: v*(v-1)/2
    s = c2(M).sum(); aa = c2(M.sum(1)).sum(); bb = c2(M.sum(0)).sum(); e = aa*bb/c2(N)
    ari = (s-e)/((aa+bb)/2-e)
    return acc, nmi, ari

def knn(x, k):
    s = x @ x.T; np.fill_diagonal(s, -np.inf)
    idx = np.argpartition(-s, k, axis=1)[:, :k]
    o = np.argsort(-np.take_along_axis(s, idx, 1), axis=1)
    return np.take_along_axis(idx, o, 1)

def centre(x):
    x = x - x.mean(0); return x/np.linalg.norm(x, axis=1, keepdims=True)

def kmeans(x, k, rng, n_init=10, iters=100):
    best = None
    for _ in range(n_init):
        c = [x[rng.integers(len(x))]]
        d2 = ((x-c[0])**2).sum(1)
        for _ in range(k-1):
            c.append(x[rng.choice(len(x), p=d2/d2.sum())]); d2 = np.minimum(d2, ((x-c[-1])**2).sum(1))
        c = np.array(c)
        for _ in range(iters):
            d = (x**2).sum(1)[:, None] - 2*x@c.T + (c**2).sum(1)[None]
            a = d.argmin(1)
            nc = np.array([x[a == j].mean(0) if (a == j).any() else c[j] for j in range(k)])
            if np.allclose(nc, c): break
            c = nc
        inertia = d[np.arange(len(x)), a].sum()
        if best is None or inertia < best[0]: best = (inertia, a, c)
    return best[1], best[2]

def softmax(z):
    z = z - z.max(1, keepdims=True); e = np.exp(z); return e/e.sum(1, keepdims=True)

class Adam:
    def __init__(s, shape, lr): s.m = np.zeros(shape); s.v = np.zeros(shape); s.t = 0; s.lr = lr
    def step(s, w, g, wd=0.0):
        g = g + wd*w; s.t += 1; s.m = 0.9*s.m+0.1*g; s.v = 0.999*s.v+0.001*g*g
        mh = s.m/(1-0.9**s.t); vh = s.v/(1-0.999**s.t); return w - s.lr*mh/(np.sqrt(vh)+1e-8)

def scan(x, nb, K, rng, heads=5, epochs=100, lr=1e-2, lam=5.0, scale=None, batch=512,
         prior='entropy', ema=0.9, init=None):
    """Cosine head (if scale) or linear head. prior: 'entropy' (max H(mean p)) or 'kl-ema'."""
    n, d = x.shape
    best = None
    for h in range(heads):
        W = rng.normal(0, 1/np.sqrt(d), (d, K)) if init is None else init.copy()
        b = np.zeros(K); oa = Adam(W.shape, lr); ob = Adam(b.shape, lr)
        pi = np.full(K, 1/K)
        for ep in range(epochs):
            perm = rng.permutation(n)
            for s0 in range(0, n, batch):
                ia = perm[s0:s0+batch]; ib = nb[ia, rng.integers(nb.shape[1], size=len(ia))]
                X = np.concatenate([x[ia], x[ib]]); B = len(ia)
                if scale:
                    wn = np.linalg.norm(W, axis=0, keepdims=True); Wn = W/wn
                    z = scale*X@Wn
                else:
                    z = X@W+b
                p = softmax(z); pa, pb = p[:B], p[B:]
                dot = (pa*pb).sum(1)+1e-12
                cons = -np.log(dot).mean()
                gp = np.zeros_like(p)
                gp[:B] = -pb/dot[:, None]/B; gp[B:] = -pa/dot[:, None]/B
                mp = pa.mean(0)
                if prior == 'entropy':
                    reg = (mp*np.log(mp+1e-12)).sum()  # -H
                    gm = lam*(np.log(mp+1e-12)+1)
                else:
                    pi = ema*pi+(1-ema)*mp  # EMA of cluster sizes as target
                    tgt = 0.5*pi + 0.5/K if prior == 'kl-mix' else pi
                    reg = (mp*np.log((mp+1e-12)/tgt)).sum()
                    gm = lam*(np.log((mp+1e-12)/tgt)+1)
                gp[:B] += gm[None]/B
                gz = p*(gp-(gp*p).sum(1, keepdims=True))
                if scale:
                    gWn = scale*X.T@gz
                    gW = (gWn - Wn*(gWn*Wn).sum(0, keepdims=True))/wn
                    W = oa.step(W, gW)
                else:
                    W = oa.step(W, X.T@gz, 1e-4); b = ob.step(b, gz.sum(0))
        # evaluate total loss on full data
        z = scale*x@(W/np.linalg.norm(W, axis=0)) if scale else x@W+b
        p = softmax(z)
        dots = np.einsum('nc,nkc->nk', p, p[nb])+1e-12
        cons = -np.log(dots).mean(); mp = p.mean(0); ent = -(mp*np.log(mp+1e-12)).sum()
        loss = cons - ent
        if best is None or loss < best[0]: best = (loss, p, W, b)
    return best

def merge(assign, nb, K, how='min'):
    """Agglomerative merge of clusters on kNN-edge agreement until K remain."""
    labels = assign.copy()
    ids = list(np.unique(labels))
    while len(ids) > K:
        idx = {c: i for i, c in enumerate(ids)}; m = len(ids)
        li = np.array([idx[c] for c in labels])
        E = np.zeros((m, m)); np.add.at(E, (np.repeat(li, nb.shape[1]), li[nb].ravel()), 1)
        E = E + E.T; sz = np.bincount(li, minlength=m).astype(float)
        np.fill_diagonal(E, -1)
        if how == 'min': A = E/np.minimum.outer(sz, sz)
        elif how == 'avg': A = E/np.outer(sz, sz)
        else: A = E/np.sqrt(np.outer(sz, sz))
        np.fill_diagonal(A, -1)
        a, b = np.unravel_index(A.argmax(), A.shape)
        labels[labels == ids[b]] = ids[a]; ids.remove(ids[b])
    return labels

if __name__ == '__main__':
    pass

def merge_trace(assign, nb, how='min'):
    """Merge all the way down to 1, recording (clusters before merge, affinity of merged pair)."""
    labels = assign.copy(); ids = list(np.unique(labels)); trace = []; snaps = {}
    while len(ids) > 1:
        idx = {c: i for i, c in enumerate(ids)}; m = len(ids)
        li = np.array([idx[c] for c in labels])
        E = np.zeros((m, m)); np.add.at(E, (np.repeat(li, nb.shape[1]), li[nb].ravel()), 1)
        E = E + E.T; sz = np.bincount(li, minlength=m).astype(float)
        A = E/np.minimum.outer(sz, sz)/nb.shape[1] if how == 'min' else E/np.outer(sz, sz)
        np.fill_diagonal(A, -1)
        a, b = np.unravel_index(A.argmax(), A.shape)
        trace.append((m, A[a, b])); snaps[m] = labels.copy()
        labels[labels == ids[b]] = ids[a]; ids.remove(ids[b])
    return trace, snaps

def self_label(x, P, K, rng, thr=0.99, epochs=30, lr=1e-2, scale=10, batch=256, noise=0.0, balance=True, drop=0.0):
    conf = P.max(1); tgt = P.argmax(1); sel = np.where(conf > thr)[0]
    counts = np.bincount(tgt[sel], minlength=K).astype(float)
    w = np.where(counts > 0, 1.0/np.maximum(counts, 1), 0); w = w/w[counts > 0].mean() if balance else (counts > 0)*1.0
    # head initialised at the class means of the confident photos (keeps the cluster order)
    W = np.stack([x[sel][tgt[sel] == c].mean(0) if counts[c] else rng.normal(0, .03, x.shape[1]) for c in range(K)], 1)
    o = Adam(W.shape, lr)
    for ep in range(epochs):
        perm = rng.permutation(sel)
        for s0 in range(0, len(perm), batch):
            ib = perm[s0:s0+batch]; X = x[ib]
            if drop: X = X*(rng.random(X.shape) > drop)/(1-drop)
            if noise: X = X+rng.normal(0, noise, X.shape)
            X = X/np.linalg.norm(X, axis=1, keepdims=True)
            wn = np.linalg.norm(W, axis=0, keepdims=True); Wn = W/wn
            p = softmax(scale*X@Wn); t = tgt[ib]
            g = p.copy(); g[np.arange(len(ib)), t] -= 1; g *= w[t][:, None]/len(ib)
            gWn = scale*X.T@g; W = o.step(W, (gWn-Wn*(gWn*Wn).sum(0, keepdims=True))/wn)
    return softmax(scale*x@(W/np.linalg.norm(W, axis=0))), len(sel)

def merge_guarded(assign, nb, K, margin=0.0):
    """Min-linkage merging, but only of pairs whose merge raises the kNN-graph modularity
    (more links than chance given their degrees); if none is left above K groups, the pair
    with the largest modularity gain is merged."""
    _, li = np.unique(assign, return_inverse=True); m = li.max()+1; k = nb.shape[1]
    E = np.zeros((m, m)); np.add.at(E, (np.repeat(li, k), li[nb].ravel()), 1); E = E+E.T
    tot = E.sum(); deg = E.sum(1); sz = np.bincount(li, minlength=m).astype(float)
    alive = np.ones(m, bool); parent = np.arange(m)
    while alive.sum() > K:
        off = E.copy(); np.fill_diagonal(off, 0)
        dq = off/tot - np.outer(deg, deg)/tot**2
        aff = off/(k*np.minimum.outer(sz, sz)+1e-12)
        mask = np.outer(alive, alive); np.fill_diagonal(mask, False)
        ok = mask & (dq > margin)
        if ok.any(): s = np.where(ok, aff, -np.inf)
        else: s = np.where(mask, dq, -np.inf)
        i, j = np.unravel_index(s.argmax(), s.shape)
        E[i] += E[j]; E[:, i] += E[:, j]; E[j] = 0; E[:, j] = 0; deg[i] += deg[j]; deg[j] = 0; sz[i] += sz[j]; sz[j] = 0
        alive[j] = False; parent[parent == j] = i
    return parent[li]
