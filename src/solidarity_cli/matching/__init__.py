"""Matching community needs to donors: eligibility, scores, an optimal allocation, explanations."""
