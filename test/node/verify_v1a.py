"""Verifies Standard Webhooks v1a signatures as a Python receiver would, with the cryptography
package (Debian: python3-cryptography). Reads [{public_key, headers, body}] as JSON from stdin;
writes, per request, whether each signature of its webhook-signature header verifies."""
import base64
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def verified(public_key, headers, body):
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key.removeprefix("whpk_")))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body}".encode()
    results = []
    for signature in headers["webhook-signature"].split(" "):
        version, _, value = signature.partition(",")
        try:
            if version != "v1a":
                raise InvalidSignature()
            key.verify(base64.b64decode(value), signed)
            results.append(True)
        except InvalidSignature:
            results.append(False)
    return results


cases = json.load(sys.stdin)
print(json.dumps([verified(c["public_key"], c["headers"], c["body"]) for c in cases]))
