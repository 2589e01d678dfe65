namespace ShmTools.Core.Profiles;

public enum DeviceKind { Gpu, Cpu, Npu, Fpga, Other }
