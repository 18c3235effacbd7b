#ifndef EARPIECE_CWEBRTCNOISESUPPRESSION_SHIM_H
#define EARPIECE_CWEBRTCNOISESUPPRESSION_SHIM_H

#include <stddef.h>
#include <stdint.h>

// Debian's libwebrtc-audio-processing-dev (0.3) exports the floating-point noise suppressor's plain C symbols
// but installs no header for them, so these declarations follow
// webrtc/modules/audio_processing/ns/include/noise_suppression.h of that release. As with CWebRTCVAD, no
// pkg-config file is named: its cflags carry -D defines that SwiftPM refuses, and these need none of them.
//
// Samples are floats on the 16-bit scale (-32768 … 32767), in frames of 10 ms (160 samples at 16 kHz).

typedef struct NsHandleT NsHandle;

// Allocates an instance; NULL when out of memory. Must be initialised before use.
NsHandle *WebRtcNs_Create(void);

void WebRtcNs_Free(NsHandle *handle);

// Prepares for a sample rate (8000, 16000, 32000 or 48000); 0 on success, -1 on error.
int WebRtcNs_Init(NsHandle *handle, uint32_t fs);

// How hard noise is suppressed: 0 mild, 1 medium, 2 aggressive; 0 on success, -1 on error.
int WebRtcNs_set_policy(NsHandle *handle, int mode);

// Updates the noise estimate from one 10 ms frame of the lowest band; call before Process on the same frame.
void WebRtcNs_Analyze(NsHandle *handle, const float *frame);

// Suppresses noise in one 10 ms frame of `bands` bands (1 at 16 kHz), writing the result to `out`.
void WebRtcNs_Process(NsHandle *handle, const float *const *frame, size_t bands, float *const *out);

#endif
