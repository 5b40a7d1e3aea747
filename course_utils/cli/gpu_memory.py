"""The GPU's memory while ``gpu-check`` rehearses the notebooks (:mod:`course_utils.cli.gpu_check`).

The notebooks run in kernels of their own, so their memory is read from the outside: the whole
device's memory in use, through NVML (``nvidia-ml-py``) or ``nvidia-smi``, sampled in a thread;
the check's own process first gives back what its earlier steps cached.
"""

from __future__ import annotations

import subprocess
import threading

SAMPLE_EVERY = 0.2  # seconds between two readings of the GPU's memory


def nvml_reader():
    """A function returning the GPU's memory in use (MB), through NVML or nvidia-smi; None if neither."""
    try:
        import pynvml

        pynvml.nvmlInit()
        handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        return lambda: pynvml.nvmlDeviceGetMemoryInfo(handle).used / 2**20
    except Exception:  # no NVML library, no driver: try the command-line tool
        pass
    try:
        subprocess.run(["nvidia-smi", "-L"], capture_output=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    query = ["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0"]
    return lambda: float(subprocess.run(query, capture_output=True, text=True, timeout=10).stdout.split()[0])


def release_gpu_memory() -> None:
    """Give back what this process's PyTorch allocator holds on the GPU (its earlier steps' cache)."""
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class MemoryPeaks:
    """Samples the GPU's memory in use every :data:`SAMPLE_EVERY` s in a thread; ``take()`` returns
    the peak since the last ``take()`` (MB, the whole device: every process and CUDA context);
    ``baseline`` is what was in use before the first notebook (None without a reader)."""

    def __init__(self, reader=None):
        self.reader, self.peak, self.stop, self.baseline = reader, 0.0, threading.Event(), None
        if reader is not None:
            self.baseline = round(reader())
            threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while not self.stop.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, self.reader())

    def take(self) -> float | None:
        if self.reader is None:
            return None
        peak, self.peak = max(self.peak, self.reader()), 0.0
        return round(peak)
