dnl config.m4: lets `phpize && ./configure && make && make install` (PECL style, and PIE) build the
dnl keysmith extension. The extension is Rust: there are no C sources for PHP's build system to
dnl compile. configure checks the toolchain (through scripts/install-ext.sh, so every install path
dnl fails with the same message and fix) and Makefile.frag hands `make` a rule that runs cargo and
dnl puts the result at modules/keysmith.so, which phpize's `make install` then installs.
dnl
dnl Where to build: phpize writes its helper files into this directory, but `./configure` writes
dnl a generated `Makefile` into the directory it runs in. In a git checkout that is the project's
dnl own Makefile, so configure refuses to run in place there and says how to build out of tree:
dnl
dnl   phpize && mkdir -p target/phpize && cd target/phpize && ../../configure && make && make install
dnl
dnl Release archives (PIE downloads, PECL-style tarballs) have no .git, and build in place.
dnl KEYSMITH_ALLOW_IN_TREE=1 overrides the check (for a throwaway copy of a checkout).

PHP_ARG_ENABLE([keysmith],
  [whether to enable keysmith],
  [AS_HELP_STRING([--enable-keysmith],
    [Enable keysmith, Keysmith's WooCommerce API key extension (built with Rust's cargo)])],
  [yes])

if test "$PHP_KEYSMITH" != "no"; then
  keysmith_srcdir=`cd "$srcdir" && pwd`
  keysmith_builddir=`pwd`

  AC_MSG_CHECKING([whether this build directory keeps Keysmith's own Makefile intact])
  if test "$keysmith_srcdir" = "$keysmith_builddir" && test -e "$keysmith_srcdir/.git" && test "$KEYSMITH_ALLOW_IN_TREE" != "1"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([configure would overwrite Keysmith's own Makefile in this git checkout.
Build out of tree instead (phpize has already run here):
    mkdir -p target/phpize && cd target/phpize && ../../configure && make && make install
or use scripts/install-ext.sh install (make install) directly.
To build in place in a throwaway copy anyway: KEYSMITH_ALLOW_IN_TREE=1 ./configure])
  fi
  AC_MSG_RESULT([yes])

  dnl $PHP_CONFIG is phpize's php-config (--with-php-config=PATH), so cargo builds for that PHP.
  keysmith_php_config=`command -v "$PHP_CONFIG" 2>/dev/null || echo "$PHP_CONFIG"`
  AC_MSG_CHECKING([for Rust (cargo), a C compiler, libclang and PHP >= 8.1])
  if keysmith_check_output=`PHP_CONFIG="$keysmith_php_config" "$keysmith_srcdir/scripts/install-ext.sh" check 2>&1`; then
    AC_MSG_RESULT([yes])
  else
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([$keysmith_check_output])
  fi

  dnl Absolute paths: `make install` may run under sudo, whose PATH often lacks ~/.cargo/bin.
  KEYSMITH_CARGO=`command -v cargo`
  KEYSMITH_SRCDIR=$keysmith_srcdir
  KEYSMITH_PHP_CONFIG=$keysmith_php_config
  PHP_SUBST(KEYSMITH_CARGO)
  PHP_SUBST(KEYSMITH_SRCDIR)
  PHP_SUBST(KEYSMITH_PHP_CONFIG)
  dnl No C sources means no build dirs; name modules/ so configure creates it (and has one to create).
  PHP_ADD_BUILD_DIR([modules])
  PHP_ADD_MAKEFILE_FRAGMENT([$keysmith_srcdir/Makefile.frag], [$keysmith_srcdir], [$keysmith_builddir])
fi
