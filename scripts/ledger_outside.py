#!/usr/bin/env python3
"""Check a taxshare ledger outside the database (docs/ledger.md).

  psql -XAt -c "COPY (SELECT seq, at, actor, action, object, digest, prev_hash, hash
                      FROM taxshare.ledger ORDER BY seq) TO STDOUT (FORMAT csv)" > ledger.csv
  python3 ledger_outside.py chain ledger.csv [SEQ HASH]
  psql -XAt -c "COPY (SELECT id, row_no, status, payload, raw FROM taxshare.record
                      WHERE submission_id = 12 ORDER BY id) TO STDOUT (FORMAT csv)" > records.csv
  python3 ledger_outside.py digest records.csv
"""
import csv, datetime, decimal, hashlib, json, struct, sys

def field(b):
    return b"\xff\xff\xff\xff" if b is None else struct.pack(">I", len(b)) + b

def unhex(s):
    return None if s == "" else bytes.fromhex(s[2:])       # bytea hex output: \x...

def micros(ts):                                            # '2024-03-01 10:00:00.123456+00'
    ts = ts.replace(" ", "T")
    if ts[-3] in "+-":
        ts += ":00"
    t = datetime.datetime.fromisoformat(ts)
    d = t - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (d.days * 86400 + d.seconds) * 1000000 + d.microseconds

def chain(path, ext_seq=None, ext_hash=None):
    prev, expect = bytes(32), 1
    for seq, at, actor, action, obj, digest, prev_hash, h in csv.reader(open(path, newline="")):
        seq = int(seq)
        if seq != expect:
            return f"entry {expect}: gap in seq"
        if unhex(prev_hash) != prev:
            return f"entry {seq}: chain broken (prev_hash)"
        data = (b"TSL1" + struct.pack(">qq", seq, micros(at)) + field(actor.encode())
                + field(action.encode()) + field(obj.encode()) + field(unhex(digest)) + field(prev))
        if hashlib.sha256(data).digest() != unhex(h):
            return f"entry {seq}: hash mismatch"
        if ext_seq is not None and seq == ext_seq and unhex(h).hex() != ext_hash:
            return f"entry {seq}: differs from the external digest"
        prev, expect = unhex(h), expect + 1
    if ext_seq is not None and ext_seq >= expect:
        return f"entry {ext_seq} of the external digest is missing"
    return f"ok: {expect - 1} entries, head {prev.hex()}"

def numeric_send(d):                                       # PostgreSQL's binary numeric
    ip, _, fp = format(abs(d), "f").partition(".")
    dscale = len(fp)
    ip = ip.lstrip("0")
    ip = "0" * (-len(ip) % 4) + ip
    fp += "0" * (-len(fp) % 4)
    groups = [int(x[i:i + 4]) for x in (ip, fp) for i in range(0, len(x), 4)]
    weight = len(ip) // 4 - 1
    while groups and groups[0] == 0:
        groups.pop(0)
        weight -= 1
    while groups and groups[-1] == 0:
        groups.pop()
    negative = bool(groups) and d < 0
    if not groups:
        weight = 0
    return struct.pack(">hhHH", len(groups), weight, 0x4000 if negative else 0, dscale) + b"".join(
        struct.pack(">h", g) for g in groups)

def cj(v):                                                 # canonical JSON ("CJ")
    if v is None: return b"z"
    if v is True: return b"t"
    if v is False: return b"f"
    if isinstance(v, str): return b"s" + field(v.encode())
    if isinstance(v, decimal.Decimal): return b"n" + field(numeric_send(v))
    if isinstance(v, list): return b"a" + struct.pack(">I", len(v)) + b"".join(cj(x) for x in v)
    keys = sorted(v, key=lambda k: (len(k.encode()), k.encode()))    # jsonb key order
    return b"o" + struct.pack(">I", len(keys)) + b"".join(field(k.encode()) + cj(v[k]) for k in keys)

def mth(leaves):                                           # RFC 6962 Merkle tree hash
    if not leaves: return hashlib.sha256(b"").digest()
    if len(leaves) == 1: return leaves[0]
    k = 1
    while k * 2 < len(leaves): k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()

def digest(path):
    leaves = []
    for rid, row_no, status, payload, raw in csv.reader(open(path, newline="")):
        data = b"\x00" + struct.pack(">qi", int(rid), int(row_no)) + field(status.encode())
        for j in (payload, raw):
            data += b"\x00" if j == "" else b"\x01" + cj(json.loads(j, parse_float=decimal.Decimal,
                                                                   parse_int=decimal.Decimal))
        leaves.append(hashlib.sha256(data).digest())
    return mth(leaves).hex()

if __name__ == "__main__":
    if sys.argv[1] == "chain":
        print(chain(sys.argv[2], *( (int(sys.argv[3]), sys.argv[4]) if len(sys.argv) > 4 else ())))
    else:
        print(digest(sys.argv[2]))
