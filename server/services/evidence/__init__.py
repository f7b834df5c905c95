"""Evidence: re-checking the server's chain, the phones' chains, the records and the photo
store (verify.py), and the daily anchors printed into reports (anchors.py). docs/evidence.md."""
