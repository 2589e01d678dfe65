namespace ShmTools.Core.Cleanup;

/// <summary>
/// Answers, candidate by candidate, whether a cleanup may remove it. Front ends lend one to
/// <see cref="StaleSegmentCleaner.Run"/>: a cmdlet wraps ShouldProcess, a script approves all, a
/// dry run previews all.
/// </summary>
public abstract class CleanupApprover
{
    public abstract Approval Answer(CleanupCandidate candidate);

    /// <summary>True when this approver never approves anything: the run is a dry run whatever it finds.</summary>
    public virtual bool PreviewsOnly => false;

    public static CleanupApprover ApproveAll { get; } = new Always(Approval.Approve);
    public static CleanupApprover PreviewAll { get; } = new Always(Approval.Preview);

    /// <summary>
    /// True when answering may wait for a person (a prompt). Otherwise the cleanup keeps its turn
    /// from judging to removing, so no other check or cleanup comes in between.
    /// </summary>
    public virtual bool AsksPerson => false;

    /// <param name="answer">The answer for each candidate.</param>
    /// <param name="asksPerson">False when <paramref name="answer"/> never prompts (e.g. -Force, -WhatIf).</param>
    public static CleanupApprover From(Func<CleanupCandidate, Approval> answer, bool asksPerson = true) => new Asking(answer, asksPerson);

    private sealed class Always(Approval answer) : CleanupApprover
    {
        public override Approval Answer(CleanupCandidate candidate) => answer;
        public override bool PreviewsOnly => answer == Approval.Preview;
    }

    private sealed class Asking(Func<CleanupCandidate, Approval> answer, bool asksPerson) : CleanupApprover
    {
        public override Approval Answer(CleanupCandidate candidate) => answer(candidate);
        public override bool AsksPerson => asksPerson;
    }
}
