using System.Text;

namespace ShmTools.HelpBuilder.Writing;

/// <summary>Word-wraps text to a width with an indent, keeping the text's own line breaks.</summary>
public static class TextWrapper
{
    public static IEnumerable<string> Wrap(string text, int width, string indent, string? firstIndent = null)
    {
        bool first = true;
        foreach (var sourceLine in text.Split('\n'))
        {
            var line = new StringBuilder(first ? firstIndent ?? indent : indent);
            int start = line.Length;
            foreach (var word in sourceLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > start && line.Length + 1 + word.Length > width)
                {
                    yield return line.ToString();
                    line = new StringBuilder(indent);
                    start = line.Length;
                }
                if (line.Length > start) line.Append(' ');
                line.Append(word);
            }
            yield return line.ToString().TrimEnd();
            first = false;
        }
    }
}
