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
#include <ngram_model.h>

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

// A domain language model mixed into the general one. PocketSphinx's model sets interpolate linearly per word
// (P = w_general P_general + w_domain P_domain, over the union of their vocabularies), so words the general
// model lacks (a competitor's name) become possible and the domain's phrasing likelier, while the general
// model still covers what the domain text never said.

/// Reads the ARPA or binary model at `path`, mixes it with the decoder's current language model at
/// `domain_weight` (0 < w < 1) and makes the mixture the active search under `name`. Returns 0 on success; -1
/// when the domain model cannot be read, -2 when the decoder has no language model, -3 when the set or the
/// search cannot be made. On failure the decoder keeps its general model.
static inline int earpiece_mix_language_model(ps_decoder_t *ps, const char *name, const char *path,
                                              float domain_weight) {
    const char *current = ps_get_search(ps);
    ngram_model_t *general = current ? ps_get_lm(ps, current) : NULL;
    if (general == NULL) return -2;
    ngram_model_t *domain = ngram_model_read(ps_get_config(ps), path, NGRAM_AUTO, ps_get_logmath(ps));
    if (domain == NULL) return -1;
    // The set frees its members when it is freed; the general model stays owned by its own search too.
    ngram_model_t *models[2] = { ngram_model_retain(general), domain };
    char *names[2] = { (char *)"general", (char *)"domain" };
    float32 weights[2] = { 1.0f - domain_weight, domain_weight };
    ngram_model_t *set = ngram_model_set_init(ps_get_config(ps), models, names, weights, 2);
    if (set == NULL) {
        ngram_model_free(models[0]);
        ngram_model_free(domain);
        return -3;
    }
    int failed = ps_set_lm(ps, name, set) != 0 || ps_set_search(ps, name) != 0;
    // The search keeps its own reference to the set.
    ngram_model_free(set);
    return failed ? -3 : 0;
}

#endif
