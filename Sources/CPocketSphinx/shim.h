#ifndef EARPIECE_CPOCKETSPHINX_SHIM_H
#define EARPIECE_CPOCKETSPHINX_SHIM_H

// Debian's pocketsphinx 5prealpha. Its pkg-config file names /usr/include/sphinxbase, which does not exist;
// the multiarch sphinxbase directory it also emits is where the headers are, so the plain includes resolve.
// cmd_ln_init is variadic and cannot be called from Swift: callers build argv for cmd_ln_parse_r instead.
#include <pocketsphinx.h>
#include <ps_search.h>
#include <cmd_ln.h>
#include <err.h>
#include <feat.h>
#include <cmn.h>

// Cepstral mean normalisation adapts to each speaker and carries over between utterances and calls. A pooled
// decoder saves its initial means when loaded and gets them back when lent to a new call, so a call decodes
// the same whichever decoder it gets. These two reach into the decoder's feature computation for that.

/// Copies the decoder's current cepstral means into `out` (room for `capacity`); returns how many, 0 if none.
static inline int earpiece_cmn_get(ps_decoder_t *ps, mfcc_t *out, int capacity) {
    feat_t *feat = ps_get_feat(ps);
    if (feat == NULL || feat->cmn_struct == NULL || feat->cmn_struct->veclen > capacity) return 0;
    for (int i = 0; i < feat->cmn_struct->veclen; i++) out[i] = feat->cmn_struct->cmn_mean[i];
    return feat->cmn_struct->veclen;
}

/// Sets the decoder's cepstral means (as many as `earpiece_cmn_get` returned) and restarts their running window.
static inline void earpiece_cmn_set(ps_decoder_t *ps, const mfcc_t *means) {
    feat_t *feat = ps_get_feat(ps);
    if (feat != NULL && feat->cmn_struct != NULL) cmn_live_set(feat->cmn_struct, means);
}

#endif
