# Makefile.frag: appended by config.m4 to the Makefile that phpize's configure generates.
# The extension is built by cargo; this rule puts it where phpize's `make install` looks
# (modules/*.so) and where PIE expects the build result.
#
# The target is a real file depending on the crate's sources, not a phony target: `make install`
# (often run with sudo after a plain `make`) then finds it up to date and never needs cargo.

KEYSMITH_SOURCES = $(wildcard $(KEYSMITH_SRCDIR)/Cargo.toml $(KEYSMITH_SRCDIR)/Cargo.lock \
	$(KEYSMITH_SRCDIR)/build.rs $(KEYSMITH_SRCDIR)/src/*.rs $(KEYSMITH_SRCDIR)/src/*/*.rs \
	$(KEYSMITH_SRCDIR)/src/*/*/*.rs)

all: $(phplibdir)/keysmith.so
build-modules: $(phplibdir)/keysmith.so

$(phplibdir)/keysmith.so: $(KEYSMITH_SOURCES)
	@# PATH only grows when cargo is missing from it: ext-php-rs rebuilds when PATH changes.
	command -v cargo >/dev/null 2>&1 || PATH="$$(dirname '$(KEYSMITH_CARGO)'):$$PATH"; \
	PHP_CONFIG='$(KEYSMITH_PHP_CONFIG)' '$(KEYSMITH_SRCDIR)/scripts/install-ext.sh' build --out '$@'

clean: keysmith-clean
keysmith-clean:
	rm -f '$(phplibdir)/keysmith.so'

.PHONY: keysmith-clean
