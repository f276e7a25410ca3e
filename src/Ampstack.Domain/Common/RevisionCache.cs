using System.Collections.Concurrent;

namespace Ampstack.Domain.Common;

/// <summary>
/// Answers made from an app's stored state, each kept with the app's revision (<see cref="Apps.AppRecord.Revision"/>) it
/// was made at, and given again only to a read that sees that same revision: every write of the app, its environments,
/// resources, models or jobs gives it a new one, on whichever node it ran, so a kept answer is never older than what the read
/// saw. Bounded: past its capacity it starts afresh.
/// </summary>
/// <remarks>
/// A caller reads the revision (the app's row) before whatever it makes the answer from, so an answer is never kept under
/// a revision newer than what it was made from.
/// </remarks>
public sealed class RevisionCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (long Revision, TValue Value)> _entries = new();

    public bool TryGet(TKey key, long revision, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Revision == revision)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// Whatever is kept for the key, with the revision it was kept at, for a caller that learns from the answer itself
    /// whose revision to read; it gives the answer only once it has read that the revision is still the same.
    /// </summary>
    public bool TryPeek(TKey key, out long revision, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            (revision, value) = entry;
            return true;
        }

        (revision, value) = (0, default!);
        return false;
    }

    public void Put(TKey key, long revision, TValue value)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = (revision, value);
    }
}
