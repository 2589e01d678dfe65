using System.Collections.ObjectModel;
using System.Globalization;
using ShmTools.Core.Processes;
using ShmTools.Core.Shm;
using ShmTools.Core.Text;

namespace ShmTools.Core.Liveness;

/// <summary>
/// The words of "held by" evidence, made once per holder within one check: a process holding
/// hundreds of segments (a data-loader worker, a serving process) gives each of them the same
/// finding and reason, so those are shared rather than rebuilt per segment. Not thread-safe: one
/// per <see cref="LivenessChecker.Check"/> call.
/// </summary>
internal sealed class HolderEvidence
{
    private readonly Dictionary<(int Pid, AttachmentKind Via, string Name), Words> _byHolder = new();

    /// <summary>One holder's finding, the reason it gives when it is the first holder, and the evidence list of a segment it alone holds.</summary>
    internal sealed record Words(Evidence Finding, string Reason, IReadOnlyList<Evidence> Alone);

    public Words Of(Attachment a)
    {
        var key = (a.Pid, a.Via, a.ProcessName);
        if (_byHolder.TryGetValue(key, out var words)) return words;
        string who = "pid " + a.Pid.ToString(CultureInfo.InvariantCulture) + " (" + TerminalText.Safe(a.ProcessName) + ")";
        string via = Via(a.Via);
        var finding = new Evidence(EvidenceKind.Attachment, who + " holds it via " + via);
        words = new Words(finding, "held by " + who + " via " + via, new ReadOnlyCollection<Evidence>([finding]));
        _byHolder[key] = words;
        return words;
    }

    /// <summary>The attachment evidence of a segment, one finding per attachment in their order (read-only; shared when one holder holds it alone).</summary>
    public IReadOnlyList<Evidence> Findings(IReadOnlyList<Attachment> attachments)
    {
        if (attachments.Count == 0) return Array.Empty<Evidence>();
        if (attachments.Count == 1) return Of(attachments[0]).Alone;
        var all = new Evidence[attachments.Count];
        for (int i = 0; i < all.Length; i++) all[i] = Of(attachments[i]).Finding;
        return new ReadOnlyCollection<Evidence>(all);
    }

    internal static string Via(AttachmentKind via) => via switch
    {
        AttachmentKind.Map => "map",
        AttachmentKind.Fd => "fd",
        _ => "sysv",
    };
}
