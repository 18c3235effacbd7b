#ifndef EARPIECE_CPOCKETSPHINX_SHIM_H
#define EARPIECE_CPOCKETSPHINX_SHIM_H

// Debian's pocketsphinx 5prealpha. Its pkg-config file names /usr/include/sphinxbase, which does not exist;
// the multiarch sphinxbase directory it also emits is where the headers are, so the plain includes resolve.
// cmd_ln_init is variadic and cannot be called from Swift: callers build argv for cmd_ln_parse_r instead.
#include <pocketsphinx.h>
#include <ps_search.h>
#include <cmd_ln.h>
#include <err.h>

#endif
