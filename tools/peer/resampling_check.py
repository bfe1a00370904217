"""Why peer.py frames the photo for the detector in float: its own pipeline, run twice on the same photos, once as
peer.py does it (the detector's input warped from the photo in float, as sameface resamples) and once warping the
uint8 photo, the usual OpenCV idiom, which rounds that input to 8 bits (O-Net's crops are float either way).
Benchmark tooling only.

usage: <peer-venv>/bin/python tools/peer/resampling_check.py PHOTO_DIR [COUNT]
"""
import glob
import os
import sys

import cv2
import numpy as np

import peer as P


def main():
    root, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40
    home = os.environ.get("SAMEFACE_HOME") or os.path.expanduser("~/.cache/sameface")
    cv2.setNumThreads(1)
    pe = P.Peer(home, "ulfg-rfb-320", "mtcnn-onet", "fr-feature-512", 0.7, 0.4, 20, True)
    photos = sorted(glob.glob(os.path.join(root, "**", "*.jpg"), recursive=True))
    photos = [photos[i * len(photos) // count] for i in range(count)]
    px, cos = [], []
    for p in photos:
        img = cv2.imdecode(np.fromfile(p, dtype=np.uint8), cv2.IMREAD_COLOR)
        pe.float_detector_input = False
        a, _ = pe.detect(img)
        pe.float_detector_input = True
        b, _ = pe.detect(img)
        if a is None or b is None:
            continue
        px.append(np.hypot(*(a - b).T).max())
        ea = pe.embed(cv2.warpAffine(img, P.similarity(a, P.ARCFACE_112), (112, 112)))
        eb = pe.embed(cv2.warpAffine(img, P.similarity(b, P.ARCFACE_112), (112, 112)))
        cos.append(float(ea @ eb))
    print(f"{len(px)} photos, 8-bit vs float detector input: landmarks max {max(px):.3f} / median "
          f"{np.median(px):.3f} px, {sum(d > 0 for d in px)} photos moved; embedding cosine min {min(cos):.6f} / "
          f"median {np.median(cos):.6f}")


if __name__ == "__main__":
    main()
