using System.Collections.Concurrent;
using System.Reflection;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// The instant an event says it happened: its first <see cref="DateTimeOffset"/> property named "…At" (CastAt,
/// OpenedAt), never an optional instant such as a deadline. Every event a person or a deadline causes carries one.
/// </summary>
public static class EventInstant
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> Properties = new();

    public static DateTimeOffset? Of(object data) =>
        Properties.GetOrAdd(data.GetType(), type => type.GetProperties().FirstOrDefault(p =>
            p.PropertyType == typeof(DateTimeOffset) && p.Name.EndsWith("At", StringComparison.Ordinal)))?.GetValue(data) as DateTimeOffset?;
}
