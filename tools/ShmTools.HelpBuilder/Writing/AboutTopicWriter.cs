using System.Text;
using ShmTools.HelpBuilder.Model;

namespace ShmTools.HelpBuilder.Writing;

/// <summary>
/// Writes an about_ topic as the plain text PowerShell shows for <c>Get-Help about_Name</c>:
/// TOPIC, then each section heading upper-case with its text indented and wrapped at 80 columns.
/// </summary>
public static class AboutTopicWriter
{
    private const int Width = 80;

    public static string Text(AboutTopic topic)
    {
        var sb = new StringBuilder();
        sb.Append("TOPIC\n    ").Append(topic.Name).Append("\n\n");
        foreach (var section in topic.Sections)
        {
            if (section.Level == 2) sb.Append(section.Title.ToUpperInvariant()).Append('\n');
            else sb.Append("  ").Append(section.Title.ToUpperInvariant()).Append('\n');
            foreach (var paragraph in section.Paragraphs)
            {
                bool bullet = paragraph.StartsWith("- ", StringComparison.Ordinal);
                var lines = bullet
                    ? TextWrapper.Wrap(paragraph[2..], Width, "      ", "    - ")
                    : TextWrapper.Wrap(paragraph, Width, "    ");
                foreach (var line in lines) sb.Append(line).Append('\n');
                if (!bullet) sb.Append('\n');
            }
            if (section.Paragraphs.Count > 0 && section.Paragraphs[^1].StartsWith("- ", StringComparison.Ordinal)) sb.Append('\n');
            if (section.Paragraphs.Count == 0) sb.Append('\n');
        }
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    public static void Write(AboutTopic topic, string path) =>
        File.WriteAllText(path, Text(topic), new UTF8Encoding(false));
}
