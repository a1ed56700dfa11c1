#include <stddef.h>
#include <stdint.h>

// The part of ONNX Runtime's C API that CallAudio calls, declared here rather than taken from the library's
// header: the library (libonnxruntime.so.1.22.1 from the pinned PyPI wheel onnxruntime 1.22.1) is not linked
// but loaded at run time with dlopen, so the package builds without it.
//
// The whole C API is one table of function pointers, `OrtApi`, reached through the one exported function
// `OrtGetApiBase()->GetApi(version)`. The table only ever grows at its end, so a prefix of it laid out entry by
// entry as onnxruntime_c_api.h lays it out is valid for that version and every later one. Entries CallAudio does
// not call are untyped slots (`void *`), counted so that each typed entry sits at its real index (in comments).
// The typed entries are never NULL in a table the library hands out (`_Nonnull`, so Swift needs no unwrapping).

/// The C API version of onnxruntime 1.22, asked of `GetApi`.
#define CA_ORT_API_VERSION 22

typedef struct CAOrtStatus CAOrtStatus;  // NULL means success
typedef struct CAOrtEnv CAOrtEnv;
typedef struct CAOrtSession CAOrtSession;
typedef struct CAOrtSessionOptions CAOrtSessionOptions;
typedef struct CAOrtValue CAOrtValue;
typedef struct CAOrtTypeInfo CAOrtTypeInfo;
typedef struct CAOrtTensorTypeAndShapeInfo CAOrtTensorTypeAndShapeInfo;
typedef struct CAOrtAllocator CAOrtAllocator;

/// ONNXTensorElementDataType: the element types CallAudio meets (the enum's values, from ONNX's TensorProto).
typedef enum CAOrtElementType {
    CA_ORT_ELEMENT_UNDEFINED = 0,
    CA_ORT_ELEMENT_FLOAT = 1,
    CA_ORT_ELEMENT_UINT8 = 2,
    CA_ORT_ELEMENT_INT8 = 3,
    CA_ORT_ELEMENT_INT32 = 6,
    CA_ORT_ELEMENT_INT64 = 7,
    CA_ORT_ELEMENT_BOOL = 9,
    CA_ORT_ELEMENT_FLOAT16 = 10,
} CAOrtElementType;

/// OrtLoggingLevel.
typedef enum CAOrtLoggingLevel {
    CA_ORT_LOGGING_VERBOSE = 0,
    CA_ORT_LOGGING_INFO = 1,
    CA_ORT_LOGGING_WARNING = 2,
    CA_ORT_LOGGING_ERROR = 3,
    CA_ORT_LOGGING_FATAL = 4,
} CAOrtLoggingLevel;

/// GraphOptimizationLevel.
typedef enum CAOrtOptimizationLevel {
    CA_ORT_DISABLE_ALL = 0,
    CA_ORT_ENABLE_BASIC = 1,
    CA_ORT_ENABLE_EXTENDED = 2,
    CA_ORT_ENABLE_ALL = 99,
} CAOrtOptimizationLevel;

/// The first entries of OrtApi, up to AddSessionConfigEntry (index 130). Every function returning a status
/// returns NULL on success, else a status to read with GetErrorMessage and free with ReleaseStatus.
typedef struct CAOrtApi {
    void *unused0[2];  // 0 CreateStatus, 1 GetErrorCode
    const char *(*_Nonnull GetErrorMessage)(const CAOrtStatus *status);  // 2
    CAOrtStatus *(*_Nonnull CreateEnv)(CAOrtLoggingLevel level, const char *log_id, CAOrtEnv **out);  // 3
    void *unused4[3];  // 4 CreateEnvWithCustomLogger, 5 EnableTelemetryEvents, 6 DisableTelemetryEvents
    CAOrtStatus *(*_Nonnull CreateSession)(
        const CAOrtEnv *env, const char *model_path, const CAOrtSessionOptions *options, CAOrtSession **out);  // 7
    void *unused8[1];  // 8 CreateSessionFromArray
    CAOrtStatus *(*_Nonnull Run)(
        CAOrtSession *session, const void *run_options, const char *const *input_names,
        const CAOrtValue *const *inputs, size_t input_count, const char *const *output_names, size_t output_count,
        CAOrtValue **outputs);  // 9
    CAOrtStatus *(*_Nonnull CreateSessionOptions)(CAOrtSessionOptions **out);  // 10
    void *unused11[12];  // 11 SetOptimizedModelFilePath ... 22 SetSessionLogSeverityLevel
    CAOrtStatus *(*_Nonnull SetSessionGraphOptimizationLevel)(
        CAOrtSessionOptions *options, CAOrtOptimizationLevel level);  // 23
    CAOrtStatus *(*_Nonnull SetIntraOpNumThreads)(CAOrtSessionOptions *options, int threads);  // 24
    CAOrtStatus *(*_Nonnull SetInterOpNumThreads)(CAOrtSessionOptions *options, int threads);  // 25
    void *unused26[4];  // 26 CreateCustomOpDomain ... 29 RegisterCustomOpsLibrary
    CAOrtStatus *(*_Nonnull SessionGetInputCount)(const CAOrtSession *session, size_t *out);  // 30
    CAOrtStatus *(*_Nonnull SessionGetOutputCount)(const CAOrtSession *session, size_t *out);  // 31
    void *unused32[1];  // 32 SessionGetOverridableInitializerCount
    CAOrtStatus *(*_Nonnull SessionGetInputTypeInfo)(
        const CAOrtSession *session, size_t index, CAOrtTypeInfo **out);  // 33
    CAOrtStatus *(*_Nonnull SessionGetOutputTypeInfo)(
        const CAOrtSession *session, size_t index, CAOrtTypeInfo **out);  // 34
    void *unused35[1];  // 35 SessionGetOverridableInitializerTypeInfo
    CAOrtStatus *(*_Nonnull SessionGetInputName)(
        const CAOrtSession *session, size_t index, CAOrtAllocator *allocator, char **out);  // 36
    CAOrtStatus *(*_Nonnull SessionGetOutputName)(
        const CAOrtSession *session, size_t index, CAOrtAllocator *allocator, char **out);  // 37
    void *unused38[10];  // 38 SessionGetOverridableInitializerName, 39 CreateRunOptions ... 47 RunOptionsUnsetTerminate
    CAOrtStatus *(*_Nonnull CreateTensorAsOrtValue)(
        CAOrtAllocator *allocator, const int64_t *shape, size_t shape_count, CAOrtElementType type,
        CAOrtValue **out);  // 48
    void *unused49[2];  // 49 CreateTensorWithDataAsOrtValue, 50 IsTensor
    CAOrtStatus *(*_Nonnull GetTensorMutableData)(CAOrtValue *value, void **out);  // 51
    void *unused52[3];  // 52 FillStringTensor, 53 GetStringTensorDataLength, 54 GetStringTensorContent
    CAOrtStatus *(*_Nonnull CastTypeInfoToTensorInfo)(
        const CAOrtTypeInfo *type_info, const CAOrtTensorTypeAndShapeInfo **out);  // 55
    void *unused56[4];  // 56 GetOnnxTypeFromTypeInfo ... 59 SetDimensions
    CAOrtStatus *(*_Nonnull GetTensorElementType)(const CAOrtTensorTypeAndShapeInfo *info, CAOrtElementType *out);  // 60
    CAOrtStatus *(*_Nonnull GetDimensionsCount)(const CAOrtTensorTypeAndShapeInfo *info, size_t *out);  // 61
    CAOrtStatus *(*_Nonnull GetDimensions)(const CAOrtTensorTypeAndShapeInfo *info, int64_t *values, size_t count);  // 62
    CAOrtStatus *(*_Nonnull GetSymbolicDimensions)(
        const CAOrtTensorTypeAndShapeInfo *info, const char **names, size_t count);  // 63
    CAOrtStatus *(*_Nonnull GetTensorShapeElementCount)(const CAOrtTensorTypeAndShapeInfo *info, size_t *out);  // 64
    CAOrtStatus *(*_Nonnull GetTensorTypeAndShape)(const CAOrtValue *value, CAOrtTensorTypeAndShapeInfo **out);  // 65
    void *unused66[10];  // 66 GetTypeInfo ... 75 AllocatorAlloc
    CAOrtStatus *(*_Nonnull AllocatorFree)(CAOrtAllocator *allocator, void *pointer);  // 76
    void *unused77[1];  // 77 AllocatorGetInfo
    CAOrtStatus *(*_Nonnull GetAllocatorWithDefaultOptions)(CAOrtAllocator **out);  // 78
    void *unused79[13];  // 79 AddFreeDimensionOverride ... 91 KernelContext_GetOutput
    void (*_Nonnull ReleaseEnv)(CAOrtEnv *env);  // 92
    void (*_Nonnull ReleaseStatus)(CAOrtStatus *status);  // 93
    void *unused94[1];  // 94 ReleaseMemoryInfo
    void (*_Nonnull ReleaseSession)(CAOrtSession *session);  // 95
    void (*_Nonnull ReleaseValue)(CAOrtValue *value);  // 96
    void *unused97[1];  // 97 ReleaseRunOptions
    void (*_Nonnull ReleaseTypeInfo)(CAOrtTypeInfo *type_info);  // 98
    void (*_Nonnull ReleaseTensorTypeAndShapeInfo)(CAOrtTensorTypeAndShapeInfo *info);  // 99
    void (*_Nonnull ReleaseSessionOptions)(CAOrtSessionOptions *options);  // 100
    void *unused101[29];  // 101 ReleaseCustomOpDomain ... 129 FillStringTensorElement
    CAOrtStatus *(*_Nonnull AddSessionConfigEntry)(
        CAOrtSessionOptions *options, const char *key, const char *value);  // 130
} CAOrtApi;

/// OrtApiBase: what the library's one exported function returns.
typedef struct CAOrtApiBase {
    /// The API table of `version`, or NULL when the library is older than that version.
    const CAOrtApi *(*_Nonnull GetApi)(uint32_t version);
    /// The library's version, such as "1.22.1".
    const char *(*_Nonnull GetVersionString)(void);
} CAOrtApiBase;

/// OrtGetApiBase, looked up with dlsym.
typedef const CAOrtApiBase *(*ca_ort_get_api_base)(void);

// Each typed entry at its index in onnxruntime_c_api.h: a miscounted slot fails the build, not a call.
_Static_assert(offsetof(CAOrtApi, Run) == 9 * sizeof(void *), "Run is entry 9");
_Static_assert(offsetof(CAOrtApi, SetSessionGraphOptimizationLevel) == 23 * sizeof(void *), "entry 23");
_Static_assert(offsetof(CAOrtApi, SessionGetInputName) == 36 * sizeof(void *), "entry 36");
_Static_assert(offsetof(CAOrtApi, CreateTensorAsOrtValue) == 48 * sizeof(void *), "entry 48");
_Static_assert(offsetof(CAOrtApi, GetTensorElementType) == 60 * sizeof(void *), "entry 60");
_Static_assert(offsetof(CAOrtApi, AllocatorFree) == 76 * sizeof(void *), "entry 76");
_Static_assert(offsetof(CAOrtApi, ReleaseEnv) == 92 * sizeof(void *), "entry 92");
_Static_assert(offsetof(CAOrtApi, ReleaseSessionOptions) == 100 * sizeof(void *), "entry 100");
_Static_assert(offsetof(CAOrtApi, AddSessionConfigEntry) == 130 * sizeof(void *), "entry 130");
