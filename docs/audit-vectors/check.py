#!/usr/bin/env python3
"""Recomputes the vectors in this folder with the Python standard library only, from docs/audit-bundle.md.

A sketch, not a verifier: its canonical form is enough for these documents (integers only, ASCII member names).
The Ed25519 signatures are checked too when the 'cryptography' package is installed.
"""
import base64, hashlib, json, sys, unicodedata
from pathlib import Path

here = Path(__file__).parent
bundle = json.loads((here / "bundle.json").read_bytes().decode("utf-8"))
receipt = json.loads((here / "receipt-DE-BY.json").read_bytes().decode("utf-8"))
expected = json.loads((here / "expected.json").read_text(encoding="utf-8"))


def normalise(value):  # string values only: CR LF and lone CR to LF, then NFC; member names as they are
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {name: normalise(v) for name, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def canonical(document):  # RFC 8785 for these documents
    return json.dumps(normalise(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def leaf(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(leaves):  # RFC 9162 §2.1.1
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node(root(leaves[:k]), root(leaves[k:]))


def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        check.failed = True


check.failed = False

# The members the strict reading requires (spec §2.1, §3.1, §6): exactly these, no others.
LEAF = {"seq", "id", "stream", "version", "type", "timestamp", "data", "headers", "userName", "correlationId", "causationId", "tenant"}
check("bundle: its members", set(bundle) - {"redacted"} == {"format", "origin", "scope", "exportedAt", "leaves", "gaps", "checkpoints", "publicKeys", "events"})
check("receipt: its 16 members", set(receipt) == {"format", "resolution", "ballot", "textVersion", "textHash", "land", "personId", "personName",
                                                 "choice", "castAt", "seq", "leafIndex", "event", "treeSize", "inclusionProof", "checkpoint"})
for what, event in [(f"event {e['seq']}", e) for e in bundle["events"]] + [("receipt's event", receipt["event"])]:
    check(f"{what}: exactly the 12 leaf members, data an object", set(event) == LEAF and isinstance(event["data"], dict))
leaves = [base64.b64decode(h) for h in bundle["leaves"]]
for item in expected["leaves"]:
    seq, want = item["seq"], bytes.fromhex(item["leafHash"])
    check(f"leaf {seq}: leaves/{seq}.json hashes to the expected leaf", leaf((here / item["canonical"]).read_bytes()) == want)
    check(f"leaf {seq}: the bundle's leaf {seq - 1} is the expected one", leaves[seq - 1] == want)
for event in bundle["events"]:
    check(f"event {event['seq']}: its canonical form is leaves/{event['seq']}.json",
          canonical(event) == (here / f"leaves/{event['seq']}.json").read_bytes())
for gap in bundle["gaps"]:
    check(f"gap {gap}: the gap leaf", leaf(canonical({"seq": gap, "gap": True})) == leaves[gap - 1])
for item in expected["roots"]:
    check(f"root of size {item['size']}", root(leaves[: item["size"]]).hex() == item["root"])

# The inclusion proof of the receipt (RFC 9162 §2.1.3.2).
fn, sn, r = receipt["leafIndex"], receipt["treeSize"] - 1, leaf(canonical(receipt["event"]))
for p in (base64.b64decode(h) for h in receipt["inclusionProof"]):
    if fn & 1 or fn == sn:
        r = node(p, r)
        while not fn & 1 and fn:
            fn, sn = fn >> 1, sn >> 1
    else:
        r = node(r, p)
    fn, sn = fn >> 1, sn >> 1
check("receipt: the inclusion proof leads to the root of size 6", sn == 0 and r == root(leaves[:6]))

# Key id and signatures.
name, key_id, key = (here / "log.pub").read_text(encoding="utf-8").strip().split("+", 2)
key = base64.b64decode(key)
check("key: algorithm 0x01, 32 bytes, key id", key[0] == 1 and len(key) == 33
      and hashlib.sha256(name.encode() + b"\n" + key).hexdigest()[:8] == key_id)
try:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:
    Ed25519PublicKey = None
for note in bundle["checkpoints"]:
    text, signatures = note[: note.rindex("\n\n") + 1], note[note.rindex("\n\n") + 2 :].splitlines()
    origin, size, root_b64, time = text.splitlines()
    check(f"checkpoint {size}: its root", base64.b64decode(root_b64) == root(leaves[: int(size)]))
    # Lines of other keys are ignored; every line of the pinned key (name and key id) must verify (spec §5.2, §7.1).
    payloads = [base64.b64decode(line.split(" ")[2]) for line in signatures if line.startswith("\u2014 " + name + " ")]
    payloads = [p for p in payloads if p[:4].hex() == key_id]
    check(f"checkpoint {size}: signed by {name} with key id {key_id}", len(payloads) >= 1)
    if Ed25519PublicKey is not None:
        for payload in payloads:
            try:
                Ed25519PublicKey.from_public_bytes(key[1:]).verify(payload[4:], text.encode("utf-8"))
                check(f"checkpoint {size}: the signature verifies", True)
            except Exception:
                check(f"checkpoint {size}: the signature verifies", False)
sys.exit(1 if check.failed else 0)
