#!/usr/bin/env bash
# One whole GPU job: train the edit adapter, then write its outputs on a held-out SVGEditBench-layout set
# (scored afterwards on a machine with cairosvg: python -m training.svgeditbench --editor files:DIR).
#   bash training/gpu_finetune.sh
# Needs data/edits/train.npz.xz (python -m training.editdata build, then python -m training.finetune prepare) and
# data/svgeditbench-synth (python -m training.editdata benchmark) beside the repository. Its defaults made the
# shipped models/svglm-edit. Returns at most 8 files in $OUT.
set -euo pipefail
out=${OUT:?set OUT to the folder whose files come back}
work=$(mktemp -d)
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
device=$(python3 -c 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")')
read -r -a extra <<< "${EXTRA_ARGS:-}"  # a tiny config for a dry run on the CPU
python3 -m training.finetune --task edit --data "${DATA:-data/edits/train.npz.xz}" --out "$work/svglm-edit" \
    --steps "${STEPS:-100000}" --max-minutes "${MINUTES:-6.3}" --batch-size "${BATCH:-64}" \
    --rank "${RANK:-32}" --alpha "$((2 * ${RANK:-32}))" --lr 1e-3 --eval-every 250 --save-every 100000 "${extra[@]}" 2>&1 | tee "$out/finetune.log"
rm -rf "$work/svglm-edit/checkpoint"
cp "$work/svglm-edit/adapter_model.safetensors" "$out/"  # first, so a slow evaluation cannot lose it
python3 -m training.benchedit --data "${BENCH:-data/svgeditbench-synth}" --adapter "$work/svglm-edit" \
    --out "$work/outputs" --device "$device" --batch-size 100 --limit "${LIMIT:-100}" 2>&1 | tee "$out/benchedit.log"
tar czf "$out/edit-run.tar.gz" -C "$work" outputs $(cd "$work" && ls svglm-edit | grep -v '^adapter_model' | sed 's|^|svglm-edit/|')
ls -la "$out"
