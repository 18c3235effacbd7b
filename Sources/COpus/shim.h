#ifndef EARPIECE_COPUS_SHIM_H
#define EARPIECE_COPUS_SHIM_H

#include <opus/opus.h>

// opus_encoder_ctl and opus_decoder_ctl are variadic, which Swift cannot call:
// these wrappers give each request we use a fixed signature.

static inline int earpiece_opus_encoder_set_bitrate(OpusEncoder *encoder, opus_int32 bitrate) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
}

static inline int earpiece_opus_encoder_set_bandwidth(OpusEncoder *encoder, opus_int32 bandwidth) {
    return opus_encoder_ctl(encoder, OPUS_SET_BANDWIDTH(bandwidth));
}

static inline int earpiece_opus_encoder_set_inband_fec(OpusEncoder *encoder, opus_int32 enabled) {
    return opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(enabled));
}

static inline int earpiece_opus_encoder_set_packet_loss_perc(OpusEncoder *encoder, opus_int32 percent) {
    return opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(percent));
}

static inline int earpiece_opus_encoder_get_lookahead(OpusEncoder *encoder, opus_int32 *lookahead) {
    return opus_encoder_ctl(encoder, OPUS_GET_LOOKAHEAD(lookahead));
}

// OPUS_SET_FORCE_MODE (11002) is libopus's private request that pins SILK, hybrid or CELT;
// tests use it to reach every TOC configuration. Modes: 1000 SILK, 1001 hybrid, 1002 CELT.
static inline int earpiece_opus_encoder_force_mode(OpusEncoder *encoder, opus_int32 mode) {
    return opus_encoder_ctl(encoder, 11002, mode);
}

static inline int earpiece_opus_decoder_reset(OpusDecoder *decoder) {
    return opus_decoder_ctl(decoder, OPUS_RESET_STATE);
}

static inline int earpiece_opus_decoder_get_last_packet_duration(OpusDecoder *decoder, opus_int32 *samples) {
    return opus_decoder_ctl(decoder, OPUS_GET_LAST_PACKET_DURATION(samples));
}

#endif
