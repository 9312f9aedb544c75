"""Runs the one capture tool (netlink-capture.sh, beside this file) from the Python scenario
scripts (capture-nft-expressions.py, capture-nft-golden.py) and reads its output back: the
datagrams, in order, and what the command printed. README.md says the format."""
import os
import subprocess

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "netlink-capture.sh")


class Capture:
    def __init__(self, text):
        self.text = text
        self.command = None
        self.datagrams = []  # (sent: bool, syscall: str, bytes)
        self.output = []
        self.exit = None
        current = None
        for line in text.splitlines():
            if line.startswith("# command: "):
                self.command = line[len("# command: "):]
            elif line.startswith("# output: "):
                self.output.append(line[len("# output: "):])
            elif line.startswith("# exit: "):
                self.exit = int(line[len("# exit: "):])
            elif line.startswith("#") or not line:
                continue
            elif line[:2] in ("> ", "< "):
                current = bytearray()
                self.datagrams.append((line[0] == ">", line[2:], current))
            else:
                current.extend(bytes.fromhex(line.replace(" ", "")))
        self.datagrams = [(s, c, bytes(b)) for s, c, b in self.datagrams]

    def sent(self):
        return [b for s, _, b in self.datagrams if s]

    def received(self):
        return [b for s, _, b in self.datagrams if not s]


def capture(ns, where, args, stdin=None):
    """Runs args (the command and its arguments) in network namespace ns under netlink-capture.sh."""
    p = subprocess.run([TOOL, ns, where] + list(args), input=stdin if stdin is not None else "",
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"netlink-capture.sh {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return Capture(p.stdout)
