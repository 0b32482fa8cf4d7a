#!/usr/bin/env python3
"""source-rules.py: checks the C sources given (or src/ of a tree) for the rules SECURITY.md states:
every call that creates a file descriptor asks for close-on-exec, no shell or exec anywhere, and
every open under a root for writing refuses symlinks; and the layers README.md draws: src/tui and
src/cli include no header of the sys layer, src/core none of sys or engine; no function in
src/ over 100 lines but a state-machine parser that says so in
the comment above it ("state-machine parser"). Prints each
violation; exit 1 if any."""
import os
import re
import sys

# call -> what its arguments must hold (a regex), or None when the call is refused outright.
# (opendir() is fine: glibc opens the directory with O_CLOEXEC.)
FD_CALLS = {
    "open": r"O_CLOEXEC", "openat": r"O_CLOEXEC", "creat": None, "fopen": r'"[^"]*e[^"]*"',
    "fdopen": r".", "socket": r"SOCK_CLOEXEC", "socketpair": r"SOCK_CLOEXEC", "accept": None,
    "accept4": r"SOCK_CLOEXEC", "dup": None, "dup2": None, "dup3": r"O_CLOEXEC", "pipe": None,
    "pipe2": r"O_CLOEXEC", "mkstemp": None, "mkostemp": r"O_CLOEXEC", "memfd_create": r"MFD_CLOEXEC",
    "epoll_create": None, "epoll_create1": r"EPOLL_CLOEXEC", "inotify_init": None,
    "inotify_init1": r"IN_CLOEXEC", "signalfd": r"SFD_CLOEXEC", "eventfd": r"EFD_CLOEXEC",
    "timerfd_create": r"TFD_CLOEXEC", "fcntl": r"F_DUPFD_CLOEXEC|F_[GS]ET",
}
FORBIDDEN = ["system", "popen", "fork", "vfork", "execl", "execlp", "execle", "execv", "execvp",
             "execvpe", "execve", "fexecve", "posix_spawn", "posix_spawnp", "wordexp"]


def strip(text, blank_strings):
    """The text with comments (and, if asked, string literals) blanked; char literals always."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            keep = c == '"' and not blank_strings
            out.append(text[i:j + 1] if keep else c + " " * (j - i - 1) + c if c == '"' else " " * (j + 1 - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def args_of(code, start):
    """The text between the parenthesis at start and its match."""
    depth, i = 0, start
    while i < len(code):
        if code[i] == "(":
            depth += 1
        elif code[i] == ")":
            depth -= 1
            if depth == 0:
                return code[start + 1:i]
        i += 1
    return code[start + 1:]


def check(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    code, scan = strip(text, False), strip(text, True)
    bad = []
    line = lambda pos: code.count("\n", 0, pos) + 1
    for m in re.finditer(r"(?<![\w.>])(\w+)\s*\(", scan):
        name, pos = m.group(1), m.start(1)
        # A definition or declaration of a function of that name is not a call.
        before = scan[max(0, scan.rfind("\n", 0, pos)):pos]
        if re.search(r"\b(int|void|char|bool|static|struct \w+)\s*\**\s*$", before):
            continue
        a = args_of(code, m.end() - 1)
        if name in FORBIDDEN:
            bad.append(f"{path}:{line(pos)}: {name}() is not allowed (no shell, no exec)")
        elif name in FD_CALLS:
            need = FD_CALLS[name]
            if need is None:
                bad.append(f"{path}:{line(pos)}: {name}() creates a descriptor without close-on-exec")
            elif not re.search(need, a):
                bad.append(f"{path}:{line(pos)}: {name}() without close-on-exec ({need})")
        elif name in ("dlopen", "dlmopen"):
            # Every library is linked (dpkg-shlibdeps and the linker see it); none is loaded at run time.
            bad.append(f"{path}:{line(pos)}: {name}(): link the library instead")
        elif name == "syscall" and "SYS_openat2" in a:
            # openat2: the flags are set in the struct open_how just before.
            if not re.search(r"\.flags\s*=[^;]*O_CLOEXEC", code[max(0, pos - 600):pos]):
                bad.append(f"{path}:{line(pos)}: openat2 without O_CLOEXEC in its open_how")
        elif name == "rootfs_open_at" and path.endswith(("/atomic.c", "/store.c")):
            # Everything atomic.c and store.c open is on the way to a write: no symlink followed.
            if not re.search(r",\s*true\s*$", a):
                bad.append(f"{path}:{line(pos)}: rootfs_open_at() for a write must refuse symlinks (true)")
        elif name == "openat" and "O_CREAT" in a and not re.search(r"O_NOFOLLOW", a):
            bad.append(f"{path}:{line(pos)}: openat(O_CREAT) without O_NOFOLLOW")
    return bad


def layer_headers(root, layer):
    """The header names of a layer: include/LAYER/*.h and src/LAYER/*.h of the tree at root."""
    names = set()
    for d in (os.path.join(root, "include", layer), os.path.join(root, "src", layer)):
        if os.path.isdir(d):
            names.update(n for n in os.listdir(d) if n.endswith(".h"))
    return names


# layer -> the layers whose headers it must not include
FORBIDDEN_LAYERS = {"core": ("sys", "engine", "tui"), "sys": ("engine", "tui"), "engine": ("tui",),
                    "tui": ("sys",), "cli": ("sys",)}


def check_layers(path):
    """A source of src/LAYER/ that includes a header of a layer it must not use."""
    m = re.match(r"(.*?)/?src/(\w+)/[^/]+$", os.path.abspath(path))
    if not m or m.group(2) not in FORBIDDEN_LAYERS:
        return []
    root, layer, bad = m.group(1), m.group(2), []
    text = strip(open(path, encoding="utf-8", errors="replace").read(), False)
    for other in FORBIDDEN_LAYERS[layer]:
        names = layer_headers(root, other)
        for n, line in enumerate(text.split("\n"), 1):
            inc = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
            if inc and os.path.basename(inc.group(1)) in names:
                bad.append(f"{path}:{n}: {layer} includes {inc.group(1)}, a header of the {other} layer")
    return bad


MAX_FUNCTION_LINES = 100


def check_length(path):
    """Functions (from the line that opens one at column 0 to its closing brace) over the limit."""
    if not re.search(r"src/(core|sys|engine|tui|cli)/[^/]+\.c$", os.path.abspath(path)):
        return []
    lines, bad, start = open(path, encoding="utf-8", errors="replace").read().split("\n"), [], None
    for i, text in enumerate(lines):
        if start is None and re.match(r"^[a-z][^;=]*\w\s*\(.*[^;]$", text) and not text.startswith("static const"):
            start = i
        elif start is not None and text == "}":
            above = "\n".join(lines[max(0, start - 4):start])
            if i - start + 1 > MAX_FUNCTION_LINES and "state-machine parser" not in above:
                bad.append(f"{path}:{start + 1}: a function of {i - start + 1} lines (more than {MAX_FUNCTION_LINES})")
            start = None
    return bad


def main():
    problems = []
    for p in sys.argv[1:]:
        problems += check(p) + check_layers(p) + check_length(p)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
