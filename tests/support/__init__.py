"""Test support: real infrastructure for the test session and small helpers shared by the tests."""
