"""Helpers shared by the experiment scripts."""
import numpy as np
def fmt(s): return '%.3f/%.3f/%.3f' % s
def groups(a, m, K2, K):
    _, li = np.unique(m, return_inverse=True); M = np.zeros((K2, K))
    for c in range(K2):
        if (a == c).any(): M[c, li[a == c][0]] = 1
        else: M[c, 0] = 1
    return M
def sl_fallback(P, thr, q=0.5):
    conf = P.max(1); t = P.argmax(1); keep = conf > thr
    for c in np.unique(t):
        mem = np.where(t == c)[0]; top = mem[np.argsort(-conf[mem])[:max(1, int(q*len(mem)))]]; keep[top] = True
    return keep
