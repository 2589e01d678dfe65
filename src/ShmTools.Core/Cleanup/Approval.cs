namespace ShmTools.Core.Cleanup;

/// <summary>An approver's answer for one removal candidate.</summary>
public enum Approval
{
    /// <summary>Remove it (after the removal protocol's own checks).</summary>
    Approve,
    /// <summary>Keep it: the user said no.</summary>
    Decline,
    /// <summary>Keep it, and report that it would have been removed (-WhatIf, a dry run).</summary>
    Preview,
}
