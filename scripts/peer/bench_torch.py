# The PyTorch peer of `npm run bench`: the app's `reference` encoder, NT-Xent (tau 0.1) and an
# Adam (1e-3) step on fixed views, on the CPU, for N = 64 and 256: the first step, then the
# median of 20 after 3 warm-ups, augmentation timed apart. It prints one JSON object, which
# scripts/bench.mjs reads to give each tfjs step time as a ratio of this one.
# Usage: python3 scripts/peer/bench_torch.py [threads]   (Debian: apt-get install -y python3-torch)
import sys, time, json, statistics
import torch, torch.nn as nn, torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
torch.set_num_threads(threads)
torch.manual_seed(0)

class Enc(nn.Module):
    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv2d(1, 16, 3, padding=1); s.c2 = nn.Conv2d(16, 32, 3, padding=1)
        s.f1 = nn.Linear(7 * 7 * 32, 64); s.f2 = nn.Linear(64, 32)
    def forward(s, x):
        h = F.max_pool2d(F.relu(s.c1(x)), 2)
        h = F.max_pool2d(F.relu(s.c2(h)), 2)
        h = F.relu(s.f1(h.flatten(1)))
        return F.normalize(s.f2(h), dim=1)

def nt_xent(z1, z2, tau=0.1):
    z = torch.cat([z1, z2]); M = z.shape[0]; N = M // 2
    logits = z @ z.t() / tau
    logits = logits.masked_fill(torch.eye(M, dtype=torch.bool), -1e4)
    labels = torch.cat([torch.arange(N, M), torch.arange(0, N)])
    return F.cross_entropy(logits, labels)

def aug(x):
    # comparable CPU augmentation: random resized crop (affine_grid+grid_sample), brightness/contrast, noise
    N = x.shape[0]
    s = torch.empty(N).uniform_(0.6, 1.0); oy = torch.rand(N) * (1 - s); ox = torch.rand(N) * (1 - s)
    theta = torch.zeros(N, 2, 3); theta[:, 0, 0] = s; theta[:, 1, 1] = s
    theta[:, 0, 2] = (2 * ox + s) - 1; theta[:, 1, 2] = (2 * oy + s) - 1
    g = F.affine_grid(theta, list(x.shape), align_corners=False)
    y = F.grid_sample(x, g, align_corners=False)
    m = y.mean(dim=(1, 2, 3), keepdim=True)
    y = (y - m) * torch.empty(N, 1, 1, 1).uniform_(0.7, 1.3) + m + torch.empty(N, 1, 1, 1).uniform_(-0.2, 0.2)
    return (y + 0.05 * torch.randn_like(y)).clamp(0, 1)

res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "results": []}
for N in (64, 256):
    model = Enc(); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(N, 1, 28, 28)
    with torch.no_grad():
        at = []
        for i in range(12):
            t = time.perf_counter(); a, b = aug(x), aug(x); at.append(time.perf_counter() - t)
    v1, v2 = aug(x), aug(x)
    def step():
        opt.zero_grad(set_to_none=True)
        loss = nt_xent(model(v1), model(v2)); loss.backward(); opt.step()
        return loss.item()
    t = time.perf_counter(); l0 = step(); first = time.perf_counter() - t
    for _ in range(3): step()
    ts = []
    for _ in range(20):
        t = time.perf_counter(); l = step(); ts.append(time.perf_counter() - t)
    res["results"].append({"N": N, "firstStepMs": round(first * 1e3, 1), "medianStepMs": round(statistics.median(ts) * 1e3, 1),
                           "minStepMs": round(min(ts) * 1e3, 1), "augMedianMs": round(statistics.median(at[2:]) * 1e3, 1),
                           "firstLoss": round(l0, 3), "lastLoss": round(l, 3)})
print(json.dumps(res))
