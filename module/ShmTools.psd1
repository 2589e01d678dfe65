@{
    RootModule           = 'ShmTools.dll'
    # Replaced at build time with <Version> from Directory.Build.props (the one place the version lives).
    ModuleVersion        = '0.0.0'
    GUID                 = '6a0e8f4e-2f2c-4d8e-9a57-3c1f0b9d6e21'
    Author               = 'ShmTools contributors'
    CompanyName          = 'ShmTools'
    Copyright            = '(c) ShmTools contributors. MIT License.'
    Description          = 'Find, judge and safely clean shared memory (POSIX, System V, semaphores, unlinked-but-mapped) on Linux deep-learning hosts; see who holds GPU memory; plan model memory on device profiles.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @('Get-ShmSegment', 'Test-ShmLiveness', 'Clear-StaleShm', 'Get-GpuAllocation', 'Invoke-MemoryPlan', 'Get-DeviceProfile', 'Get-ShmUsage')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @('ShmTools.format.ps1xml')
    TypesToProcess       = @('ShmTools.types.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags         = @('SharedMemory', 'shm', 'GPU', 'DeepLearning', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/shmtools/ShmTools'
            LicenseUri   = 'https://github.com/shmtools/ShmTools/blob/main/LICENSE'
            ReleaseNotes = 'Get-ShmSegment: POSIX, semaphore, System V and unlinked-but-mapped segments with their holders. Test-ShmLiveness: verdicts with evidence (attachments, lock leases, handshake, owner process). Clear-StaleShm: removes stale segments only, re-checked just before removal, with an audit log. Get-GpuAllocation: GPU memory per device and process from NVML, nvidia-smi and HAMi-core regions, with users, containers and pods. Invoke-MemoryPlan and Get-DeviceProfile: execution-unit memory planning of ONNX models on YAML device profiles.'
        }
    }
}
