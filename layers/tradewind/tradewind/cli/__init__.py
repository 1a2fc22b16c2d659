"""The ``tradewind`` command line: the research engine on local files, no cloud needed."""
