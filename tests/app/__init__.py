"""Tests of the web app (nernst.app): callbacks, a real browser, a load test."""
