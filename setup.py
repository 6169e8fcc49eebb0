"""The C part of the package: the demand tagger's scanner (cbec_talent/engines/demand/_acscan.c).

Everything else is declared in pyproject.toml. The extension is optional: without a C compiler the package
installs and the tagger falls back to ahocorasick-rs (same results, slower; see decision 0007).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "cbec_talent.engines.demand._acscan",
            ["cbec_talent/engines/demand/_acscan.c"],
            extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-missing-field-initializers"],
            optional=True,
        )
    ]
)
