"""Plots and tables of the evaluation report."""
