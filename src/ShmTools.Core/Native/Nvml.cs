using System.Runtime.InteropServices;
using System.Text;

namespace ShmTools.Core.Native;

/// <summary>An NVML call that did not succeed: the function, the return code and NVML's own words.</summary>
public sealed class NvmlException(string function, int code, string message)
    : Exception($"{function} failed: {message} (NVML return code {code})")
{
    public string Function { get; } = function;
    public int Code { get; } = code;
}

/// <summary>One entry of a running-process list.</summary>
public readonly record struct NvmlProcess(uint Pid, ulong? UsedBytes, uint? GpuInstanceId, uint? ComputeInstanceId);

/// <summary>
/// NVML, loaded at run time from a path (the real libnvidia-ml.so.1 or any library with its ABI),
/// called through function pointers. Declarations follow the public NVML headers' layouts:
/// nvmlMemory_t (24 bytes), nvmlMemory_v2_t (40, version 0x02000028), process info of 16, 24
/// or 32 bytes. The process-list element size changed in R535 without a new name, so it is
/// measured, not assumed.
/// </summary>
public sealed unsafe class Nvml : IDisposable
{
    public const int Success = 0, NotSupported = 3, InsufficientSize = 7, FunctionNotFound = 13;
    private const ulong NotAvailable = ulong.MaxValue;
    private const uint NoInstance = uint.MaxValue;
    private const byte Pattern = 0xA5;

    private nint _lib;
    private bool _initialised;
    private readonly delegate* unmanaged<int> _init, _shutdown;
    private readonly delegate* unmanaged<int, nint> _errorString;
    private readonly delegate* unmanaged<byte*, uint, int> _driverVersion;
    private readonly delegate* unmanaged<uint*, int> _count;
    private readonly delegate* unmanaged<uint, nint*, int> _handle;
    private readonly delegate* unmanaged<nint, byte*, uint, int> _name, _uuid;
    private readonly delegate* unmanaged<nint, byte*, int> _memory, _memoryV2;
    private readonly delegate* unmanaged<nint, uint*, byte*, int> _compute, _graphics;
    private readonly delegate* unmanaged<nint, uint*, uint*, int> _mig;
    private readonly delegate* unmanaged<uint, byte*, uint, int> _processName;
    private readonly int _declaredStride;

    private Nvml(nint lib, string path)
    {
        _lib = lib;
        Path = path;
        _init = (delegate* unmanaged<int>)Require("nvmlInit_v2", "nvmlInit");
        _shutdown = (delegate* unmanaged<int>)Require("nvmlShutdown");
        _errorString = (delegate* unmanaged<int, nint>)Optional("nvmlErrorString");
        _driverVersion = (delegate* unmanaged<byte*, uint, int>)Optional("nvmlSystemGetDriverVersion");
        _count = (delegate* unmanaged<uint*, int>)Require("nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
        _handle = (delegate* unmanaged<uint, nint*, int>)Require("nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
        _name = (delegate* unmanaged<nint, byte*, uint, int>)Optional("nvmlDeviceGetName");
        _uuid = (delegate* unmanaged<nint, byte*, uint, int>)Optional("nvmlDeviceGetUUID");
        _memory = (delegate* unmanaged<nint, byte*, int>)Optional("nvmlDeviceGetMemoryInfo");
        _memoryV2 = (delegate* unmanaged<nint, byte*, int>)Optional("nvmlDeviceGetMemoryInfo_v2");
        _mig = (delegate* unmanaged<nint, uint*, uint*, int>)Optional("nvmlDeviceGetMigMode");
        _processName = (delegate* unmanaged<uint, byte*, uint, int>)Optional("nvmlSystemGetProcessName");
        foreach (var (suffix, stride) in new[] { ("_v3", 24), ("_v2", 24), ("", 16) })
        {
            var c = Optional("nvmlDeviceGetComputeRunningProcesses" + suffix);
            if (c == 0) continue;
            _compute = (delegate* unmanaged<nint, uint*, byte*, int>)c;
            _graphics = (delegate* unmanaged<nint, uint*, byte*, int>)Optional("nvmlDeviceGetGraphicsRunningProcesses" + suffix);
            // R535 (CUDA 12.2) drivers widened the _v3 element to 32 bytes under the same name.
            _declaredStride = suffix == "_v3" && Optional("nvmlDeviceGetConfComputeMemSizeInfo") != 0
                && Optional("nvmlDeviceGetRunningProcessDetailList") == 0 ? 32 : stride;
            ProcessListFunction = "nvmlDeviceGetComputeRunningProcesses" + suffix;
            break;
        }
    }

    public string Path { get; }
    public string? ProcessListFunction { get; }
    /// <summary>The process-list element size in use: measured on the first non-empty list.</summary>
    public int ProcessStride { get; private set; }

    /// <summary>Loads and initialises NVML; throws DllNotFoundException or NvmlException with the cause.</summary>
    public static Nvml Open(string path)
    {
        nint lib = NativeLibrary.Load(path);
        Nvml? nvml = null;
        try
        {
            nvml = new Nvml(lib, path);
            nvml.Check(nvml._init(), "nvmlInit_v2");
            nvml._initialised = true;
            return nvml;
        }
        catch
        {
            if (nvml != null) nvml.Dispose();
            else NativeLibrary.Free(lib);
            throw;
        }
    }

    public string? DriverVersion => _driverVersion == null ? null : Text((b, n) => _driverVersion(b, n), 96, "nvmlSystemGetDriverVersion");

    public int DeviceCount()
    {
        uint n;
        Check(_count(&n), "nvmlDeviceGetCount_v2");
        return (int)n;
    }

    public nint Device(int index)
    {
        nint h;
        Check(_handle((uint)index, &h), "nvmlDeviceGetHandleByIndex_v2");
        return h;
    }

    public string? Name(nint device) => _name == null ? null : Text((b, n) => _name(device, b, n), 96, "nvmlDeviceGetName");
    public string? Uuid(nint device) => _uuid == null ? null : Text((b, n) => _uuid(device, b, n), 96, "nvmlDeviceGetUUID");

    /// <summary>(total, free, used, reserved): memory info v2 where the driver has it, else v1.</summary>
    public (ulong Total, ulong Free, ulong Used, ulong? Reserved) Memory(nint device)
    {
        byte* buf = stackalloc byte[48];
        if (_memoryV2 != null)
        {
            new Span<byte>(buf, 48).Clear();
            *(uint*)buf = 40 | (2u << 24);
            if (_memoryV2(device, buf) == Success)
                return (*(ulong*)(buf + 8), *(ulong*)(buf + 24), *(ulong*)(buf + 32), *(ulong*)(buf + 16));
        }
        if (_memory == null) throw new NvmlException("nvmlDeviceGetMemoryInfo", FunctionNotFound, "not exported");
        Check(_memory(device, buf), "nvmlDeviceGetMemoryInfo");
        return (*(ulong*)buf, *(ulong*)(buf + 8), *(ulong*)(buf + 16), null);
    }

    public bool? MigEnabled(nint device)
    {
        if (_mig == null) return null;
        uint current, pending;
        int rc = _mig(device, &current, &pending);
        return rc == Success ? current == 1 : rc == NotSupported ? false : null;
    }

    public string? ProcessName(uint pid) => _processName == null ? null : Text((b, n) => _processName(pid, b, n), 256, null);

    /// <summary>The compute or graphics processes of a device, by the count protocol.</summary>
    public List<NvmlProcess> Processes(nint device, bool graphics)
    {
        var fn = graphics ? _graphics : _compute;
        string name = (graphics ? "nvmlDeviceGetGraphicsRunningProcesses" : "nvmlDeviceGetComputeRunningProcesses") + ProcessListSuffix;
        var result = new List<NvmlProcess>();
        if (fn == null) return result;
        uint count = 0;
        int rc = fn(device, &count, null);
        if (rc == Success && count == 0) return result;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            if (rc != Success && rc != InsufficientSize) Check(rc, name);
            uint capacity = count * 2 + 5; // processes may appear between the calls
            byte[] buffer = new byte[capacity * 32 + 64];
            buffer.AsSpan().Fill(Pattern);
            count = capacity;
            fixed (byte* b = buffer)
                rc = fn(device, &count, b);
            if (rc == InsufficientSize) continue;
            Check(rc, name);
            if (count == 0) return result;
            int stride = MeasureStride(buffer, (int)count);
            ProcessStride = stride;
            for (int i = 0; i < count; i++)
            {
                var e = buffer.AsSpan(i * stride);
                uint pid = BitConverter.ToUInt32(e);
                ulong used = BitConverter.ToUInt64(e[8..]);
                uint? gi = stride >= 24 ? BitConverter.ToUInt32(e[16..]) : null;
                uint? ci = stride >= 24 ? BitConverter.ToUInt32(e[20..]) : null;
                result.Add(new NvmlProcess(pid, used == NotAvailable ? null : used, gi == NoInstance ? null : gi, ci == NoInstance ? null : ci));
            }
            return result;
        }
        throw new NvmlException(name, InsufficientSize, "the process list kept growing");
    }

    private string ProcessListSuffix => ProcessListFunction?.EndsWith("_v3") == true ? "_v3" : ProcessListFunction?.EndsWith("_v2") == true ? "_v2" : "";

    /// <summary>
    /// The element size, from how far the library wrote into a buffer pre-filled with a pattern:
    /// n entries of s bytes end at n*s. Where that is ambiguous, the exported symbols decide.
    /// </summary>
    private int MeasureStride(byte[] buffer, int count)
    {
        int end = buffer.Length;
        while (end > 0 && buffer[end - 1] == Pattern) end--;
        foreach (int s in new[] { 16, 24, 32 })
            if (end > (count - 1) * s + 8 && end <= count * s) return s;
        return _declaredStride;
    }

    private delegate int TextCall(byte* buffer, uint length);

    private string? Text(TextCall call, int size, string? function)
    {
        byte* buf = stackalloc byte[size];
        new Span<byte>(buf, size).Clear();
        int rc = call(buf, (uint)size);
        if (rc != Success)
        {
            if (function != null) Check(rc, function);
            return null;
        }
        return Marshal.PtrToStringUTF8((nint)buf);
    }

    private void Check(int rc, string function)
    {
        if (rc == Success) return;
        string message = _errorString != null ? Marshal.PtrToStringUTF8(_errorString(rc)) ?? "" : "";
        throw new NvmlException(function, rc, message.Length > 0 ? message : "error " + rc);
    }

    private nint Optional(string name) => NativeLibrary.TryGetExport(_lib, name, out var p) ? p : 0;

    private nint Require(string name, string? fallback = null)
    {
        var p = Optional(name);
        if (p == 0 && fallback != null) p = Optional(fallback);
        if (p == 0) throw new NvmlException(name, FunctionNotFound, $"{Path} does not export {name}");
        return p;
    }

    public void Dispose()
    {
        if (_lib == 0) return;
        if (_initialised) _shutdown();
        NativeLibrary.Free(_lib);
        _lib = 0;
    }
}
