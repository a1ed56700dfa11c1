// webrtc-audio-processing is a C++ library whose interfaces are pure virtual classes, which Swift cannot
// call. This target only carries its pkg-config include paths and link flags to `CAudioProcessing`, the
// C++ target that wraps it in a plain C API; Swift never imports the library's headers directly.
