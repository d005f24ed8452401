"""Data-parallel training over the GPUs of one machine, started by ``torchrun``; a world of one without it.

Every process (rank) runs the same training script on its own device and its own stream of batches;
``DistributedDataParallel`` averages the gradients, so each step sees ``world size × batch_size`` rows.
What the ranks must agree on (the number of steps, freshly initialized weights) goes through the helpers
here; only the main rank writes files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class World:
    """This process's place among the training processes."""

    rank: int = 0
    size: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def join(device: str) -> World:
    """Join the process group ``torchrun`` describes in the environment, or return a world of one."""
    size = int(os.environ.get("WORLD_SIZE", "1"))
    if size == 1:
        return World()
    world = World(int(os.environ["RANK"]), size, int(os.environ["LOCAL_RANK"]))
    if device.startswith("cuda"):
        torch.cuda.set_device(world.local_rank)
    dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    return world


def rank_device(device: str, world: World) -> str:
    """The device this rank trains on: its own GPU when several share a machine."""
    return f"cuda:{world.local_rank}" if device == "cuda" and world.size > 1 else device


def wrap(model: torch.nn.Module, world: World) -> torch.nn.Module:
    """The model as the training loop calls it: itself, or wrapped to average gradients across ranks."""
    if world.size == 1:
        return model
    device_ids = [world.local_rank] if next(model.parameters()).is_cuda else None
    return torch.nn.parallel.DistributedDataParallel(model, device_ids=device_ids)


def smallest(value: int, world: World) -> int:
    """The smallest of every rank's ``value`` (e.g. steps: the slowest rank's count fits every clock)."""
    if world.size == 1:
        return value
    device = f"cuda:{world.local_rank}" if dist.get_backend() == "nccl" else "cpu"
    tensor = torch.tensor([value], dtype=torch.int64, device=device)
    dist.all_reduce(tensor, dist.ReduceOp.MIN)
    return int(tensor.item())


def share_weights(model: torch.nn.Module, world: World) -> None:
    """Copy the main rank's parameters to every rank (after an initialization that drew random numbers)."""
    if world.size == 1:
        return
    with torch.no_grad():
        for parameter in model.parameters():
            dist.broadcast(parameter.data, 0)


def leave(world: World) -> None:
    """Leave the process group (every rank, once training is over)."""
    if world.size > 1:
        dist.destroy_process_group()
