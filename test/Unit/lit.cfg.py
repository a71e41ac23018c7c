# Runs the GoogleTest unit tests (binaries named *UnitTests) as lit tests.
import lit.formats

config.name = "gpuinit-unit"
config.suffixes = []
config.test_source_root = config.unit_dir
config.test_exec_root = config.unit_dir
config.test_format = lit.formats.GoogleTest(".", "UnitTests")
