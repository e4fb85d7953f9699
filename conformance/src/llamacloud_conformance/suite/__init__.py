"""The conformance suite: test modules that `llamacloud_conformance.run` hands to pytest with a `RunContext`."""
