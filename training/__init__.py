"""Vectorsmith's training side: the corpus and catalog, pretraining, fine-tuning and evaluation."""
