"""One benchmark trial of a Python peer (PyTorch CPU or scikit-learn) for `npm run bench`.

Run by bench/trial.js with Debian's /usr/bin/python3 (see bench/README.md), never by hand:
    /usr/bin/python3 bench/peers.py ENGINE DATA.json
DATA.json describes the workload trial.js built (network, loss, optimizer, batch, epochs) and names
DATA.bin, the float32 x, y and initial weights (each W stored n_in x n_out, row-major, as ours).
Only the training loop is timed: not Python's start-up, the imports or reading the data.
Thread limits come from the caller: env OMP/OPENBLAS/MKL_NUM_THREADS and "threads" in DATA.json.
Prints one JSON line: seconds, loss (per sample, mean over the last epoch's batches), peak RSS.
"""
import json
import os
import resource
import sys
import time

import numpy as np

engine, header_path = sys.argv[1], sys.argv[2]
with open(header_path) as f:
    h = json.load(f)
raw = np.fromfile(os.path.join(os.path.dirname(header_path), h["bin"]), dtype=np.float32)
sizes, rows = h["sizes"], h["rows"]
off = 0


def take(n, shape):
    global off
    a = raw[off:off + n].reshape(shape)
    off += n
    return a


X = take(rows * sizes[0], (rows, sizes[0]))
Y = take(rows * sizes[-1], (rows, sizes[-1]))
params = []
for l in range(1, len(sizes)):
    W = take(sizes[l - 1] * sizes[l], (sizes[l - 1], sizes[l]))
    b = take(sizes[l], (sizes[l],))
    params.append((W, b))
classify = h["loss"] == "cross_entropy"
threads = h.get("threads")  # None: the library's defaults
detail = {}


def train_torch():
    import torch
    from torch import nn

    if threads:
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(threads)
    torch.manual_seed(99)
    act = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
    mods = []
    for l in range(1, len(sizes)):
        lin = nn.Linear(sizes[l - 1], sizes[l])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(params[l - 1][0].T.copy()))
            lin.bias.copy_(torch.from_numpy(params[l - 1][1]))
        mods.append(lin)
        a = h["acts"][l - 1]
        if a != "softmax":  # softmax + CE: CrossEntropyLoss takes the logits
            mods.append(act[a]())
    model = nn.Sequential(*mods)
    x = torch.from_numpy(X.copy())
    if classify:
        y = torch.from_numpy(Y.argmax(axis=1)).long()
        lossfn = nn.CrossEntropyLoss()  # mean over the batch, as ours
    else:
        y = torch.from_numpy(Y.copy())

        def lossfn(a, t):  # ours: sse, 1/2 sum over the batch (not averaged)
            return 0.5 * ((a - t) ** 2).sum()

    opt = torch.optim.SGD(model.parameters(), lr=h["lr"], momentum=h["momentum"])
    g = torch.Generator().manual_seed(99)
    B = h["batch"]
    t0 = time.perf_counter()
    total = torch.zeros(())
    batches = 0
    for e in range(h["epochs"]):
        perm = torch.randperm(rows, generator=g) if h["shuffle"] else torch.arange(rows)
        last = e == h["epochs"] - 1
        for s in range(0, rows, B):
            idx = perm[s:s + B]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = lossfn(model(xb), yb)
            loss.backward()
            opt.step()
            if last:
                total += loss.detach()
                batches += 1
    seconds = time.perf_counter() - t0
    mean = total.item() / batches
    detail.update(threads=torch.get_num_threads(), interop=torch.get_num_interop_threads(), version=torch.__version__)
    # per sample: sse summed over the batch divides by its size; CE is already a mean
    return seconds, mean if classify else mean / B


def train_sklearn():
    import warnings

    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    warnings.simplefilter("ignore", ConvergenceWarning)
    hidden = tuple(sizes[1:-1])
    act = h["acts"][0]
    common = dict(hidden_layer_sizes=hidden, activation=act, solver="sgd", alpha=0.0, batch_size=h["batch"],
                  learning_rate="constant", momentum=h["momentum"], nesterovs_momentum=False, shuffle=h["shuffle"],
                  random_state=99, tol=0.0, n_iter_no_change=10**9, early_stopping=False, warm_start=True)
    if classify:
        # softmax + log-loss averaged over the batch: ours exactly
        model = MLPClassifier(learning_rate_init=h["lr"], max_iter=1, **common)
        target = Y.argmax(axis=1)
    else:
        # MLPRegressor: tanh hidden layers, but an identity output and 1/2 squared error averaged
        # over the batch; ours has a tanh output and sums over the batch, so η × batch matches
        # ours' step on the same gradients (sklearn cannot take a tanh output: its backprop
        # assumes the canonical link of each loss).
        model = MLPRegressor(learning_rate_init=h["lr"] * h["batch"], max_iter=1, **common)
        target = Y[:, 0]
    # One untimed epoch on a slice builds the model's structure, then our initial weights go in;
    # warm_start keeps them, and fit makes a fresh SGD optimizer (zero velocity).
    model.fit(X[: min(rows, 2000)], target[: min(rows, 2000)])
    model.coefs_ = [W.astype(model.coefs_[0].dtype, copy=True) for W, _ in params]
    model.intercepts_ = [b.astype(model.coefs_[0].dtype, copy=True) for _, b in params]
    model.loss_curve_ = []
    model.best_loss_ = np.inf
    model.set_params(max_iter=h["epochs"])
    t0 = time.perf_counter()
    model.fit(X, target)
    seconds = time.perf_counter() - t0
    detail.update(version=sklearn.__version__, dtype=str(model.coefs_[0].dtype), epochs=len(model.loss_curve_))
    return seconds, float(model.loss_curve_[-1])


seconds, loss = train_torch() if engine == "torch" else train_sklearn()
detail.update(numpy=np.__version__, env_threads=os.environ.get("OMP_NUM_THREADS", "default"))
print(json.dumps({"seconds": seconds, "lossPerSample": loss,
                  "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "detail": detail}))
