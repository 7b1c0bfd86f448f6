"""torch.optim's update rules written out again, independently of py/backprop_explorer.

Plain Python floats over flat lists, in the order of operations of PyTorch's single-tensor
implementations (torch/optim/sgd.py, rmsprop.py, adam.py: weight decay 0, not maximising, not
centred, not AMSGrad), so a mistake in the package's numpy rules cannot hide here. Each class
is used like a torch optimizer: ``opt.step(params, grads)`` changes ``params`` in place.
"""

from __future__ import annotations

import math

# Settings of every optimizer, torch's defaults and others, for the tests that compare with it.
CONFIGS = [
    {"name": "gd"},
    {"name": "momentum", "momentum": 0.9, "dampening": 0.0},
    {"name": "momentum", "momentum": 0.5, "dampening": 0.3},
    {"name": "nesterov", "momentum": 0.9},
    {"name": "rmsprop", "alpha": 0.99, "eps": 1e-8},
    {"name": "rmsprop", "alpha": 0.9, "eps": 1e-3},
    {"name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    {"name": "adam", "beta1": 0.5, "beta2": 0.9, "eps": 1e-4},
]


class SGD:
    """torch.optim.SGD(lr, momentum, dampening, nesterov)."""

    def __init__(self, lr: float, momentum=0.0, dampening=0.0, nesterov=False) -> None:
        self.lr, self.momentum, self.dampening, self.nesterov = lr, momentum, dampening, nesterov
        self.buf: list[float] | None = None

    def step(self, params: list[float], grads: list[float]) -> None:
        if self.momentum != 0:
            if self.buf is None:
                self.buf = list(grads)  # torch.clone(grad)
            else:  # buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                self.buf = [
                    b * self.momentum + g * (1 - self.dampening)
                    for b, g in zip(self.buf, grads, strict=True)
                ]
            if self.nesterov:  # grad = grad.add(buf, alpha=momentum)
                grads = [g + b * self.momentum for g, b in zip(grads, self.buf, strict=True)]
            else:
                grads = list(self.buf)
        for i, g in enumerate(grads):  # param.add_(grad, alpha=-lr)
            params[i] += g * -self.lr


class RMSprop:
    """torch.optim.RMSprop(lr, alpha, eps)."""

    def __init__(self, lr: float, alpha=0.99, eps=1e-8) -> None:
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg: list[float] | None = None

    def step(self, params: list[float], grads: list[float]) -> None:
        if self.square_avg is None:
            self.square_avg = [0.0] * len(params)
        for i, g in enumerate(grads):
            # square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            self.square_avg[i] = self.square_avg[i] * self.alpha + (1 - self.alpha) * g * g
            avg = math.sqrt(self.square_avg[i]) + self.eps  # square_avg.sqrt().add_(eps)
            params[i] += -self.lr * g / avg  # param.addcdiv_(grad, avg, value=-lr)


class Adam:
    """torch.optim.Adam(lr, betas, eps)."""

    def __init__(self, lr: float, betas=(0.9, 0.999), eps=1e-8) -> None:
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.step_count = 0
        self.exp_avg: list[float] | None = None
        self.exp_avg_sq: list[float] | None = None

    def step(self, params: list[float], grads: list[float]) -> None:
        if self.exp_avg is None or self.exp_avg_sq is None:
            self.exp_avg, self.exp_avg_sq = [0.0] * len(params), [0.0] * len(params)
        self.step_count += 1
        bias_correction1 = 1 - self.beta1**self.step_count
        bias_correction2 = 1 - self.beta2**self.step_count
        step_size = self.lr / bias_correction1
        for i, g in enumerate(grads):
            # exp_avg.lerp_(grad, 1 - beta1)
            self.exp_avg[i] += (1 - self.beta1) * (g - self.exp_avg[i])
            # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            self.exp_avg_sq[i] = self.exp_avg_sq[i] * self.beta2 + (1 - self.beta2) * g * g
            # denom = (exp_avg_sq.sqrt() / sqrt(bias_correction2)).add_(eps)
            denom = math.sqrt(self.exp_avg_sq[i]) / math.sqrt(bias_correction2) + self.eps
            params[i] += -step_size * self.exp_avg[i] / denom  # addcdiv_(exp_avg, denom)


def torch_style(config: dict, lr: float):
    """The reference optimizer for a State's ``optimizer`` object."""
    name = config["name"]
    if name == "gd":
        return SGD(lr)
    if name == "momentum":
        return SGD(lr, momentum=config["momentum"], dampening=config["dampening"])
    if name == "nesterov":
        return SGD(lr, momentum=config["momentum"], nesterov=True)
    if name == "rmsprop":
        return RMSprop(lr, alpha=config["alpha"], eps=config["eps"])
    if name == "adam":
        return Adam(lr, betas=(config["beta1"], config["beta2"]), eps=config["eps"])
    raise ValueError(name)


def flat_params(weights: list, biases: list | None = None) -> list[float]:
    """Every weight, then every bias, as one list: what a torch optimizer's ``step`` takes."""
    return [w for W in weights for row in W for w in row] + [b for bl in biases or [] for b in bl]


def with_params(state: dict, values: list[float]) -> dict:
    """``state`` with its weights (and biases) taken from ``values``, as ``flat_params`` lists them."""
    it = iter(values)
    out = {**state, "weights": [[[next(it) for _ in r] for r in W] for W in state["weights"]]}
    if state["bias"]:
        out["biases"] = [[next(it) for _ in bl] for bl in state["biases"]]
    return out
