#ifndef EARPIECE_CWEBRTCVAD_SHIM_H
#define EARPIECE_CWEBRTCVAD_SHIM_H

#include <stddef.h>
#include <stdint.h>

// Debian's libwebrtc-audio-processing-dev (0.3) exports the VAD's plain C symbols but installs no header for
// them, so these declarations copy webrtc/common_audio/vad/include/webrtc_vad.h of that release. Checked
// against the library with a C program: Create takes no arguments and returns the instance (the older
// `int WebRtcVad_Create(VadInst**)` form is gone), Process returns 1 for speech, 0 for none, -1 on error.
//
// The target names no pkg-config file: webrtc-audio-processing.pc's cflags carry -D defines that SwiftPM
// refuses with a warning on every build, and these declarations need none of its headers. module.modulemap
// links the library, which Debian installs on the default search path.

typedef struct WebRtcVadInst VadInst;

// Allocates an instance; NULL when out of memory. Must be initialised before use.
VadInst *WebRtcVad_Create(void);

void WebRtcVad_Free(VadInst *handle);

// Resets to the default mode (0); 0 on success, -1 on error.
int WebRtcVad_Init(VadInst *handle);

// Aggressiveness 0 (least) to 3 (most likely to call a frame non-speech); 0 on success, -1 on error.
int WebRtcVad_set_mode(VadInst *handle, int mode);

// One frame of 10, 20 or 30 ms at 8, 16, 32 or 48 kHz: 1 speech, 0 non-speech, -1 error.
int WebRtcVad_Process(VadInst *handle, int fs, const int16_t *audio_frame, size_t frame_length);

// 0 when the rate and length are a combination Process accepts, -1 otherwise.
int WebRtcVad_ValidRateAndFrameLength(int rate, size_t frame_length);

#endif
