"""Analyses over routes: scenario comparisons."""
