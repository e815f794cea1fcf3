using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Hosting;

/// <summary>Creates the informers of one kind for every watched namespace and registers them with the manager.</summary>
internal sealed class InformerFactory(IKubernetes client, OperatorOptions options, RuntimeMetrics metrics, ILoggerFactory loggers, TimeProvider time, ControllerManager manager)
{
    private IReadOnlyList<string?> Namespaces => options.Namespaces.Count == 0 ? [null] : [.. options.Namespaces.Distinct(StringComparer.Ordinal)];

    public InformerGroup<TCached> Create<TSource, TCached>(
        Func<IKubernetes, string?, IListWatchSource<TSource>> source,
        Func<TSource, TCached> project,
        params (string Name, Func<TCached, IEnumerable<string>> Index)[] indexers)
        where TSource : IKubernetesObject<V1ObjectMeta>
        where TCached : class, ICachedObject =>
        CreateIn(Namespaces, new InformerOptions(), source, project, indexers);

    /// <summary>Informers for the given namespaces (null: all) with the given options (e.g. a field selector).</summary>
    public InformerGroup<TCached> CreateIn<TSource, TCached>(
        IReadOnlyList<string?> namespaces,
        InformerOptions informerOptions,
        Func<IKubernetes, string?, IListWatchSource<TSource>> source,
        Func<TSource, TCached> project,
        params (string Name, Func<TCached, IEnumerable<string>> Index)[] indexers)
        where TSource : IKubernetesObject<V1ObjectMeta>
        where TCached : class, ICachedObject
    {
        var members = new List<(string?, IInformer<TCached>)>();
        foreach (var ns in namespaces)
        {
            var watched = source(client, ns);
            var informer = new Informer<TSource, TCached>(watched, project, informerOptions, metrics,
                loggers.CreateLogger($"IncidentResponder.Informer.{watched.Resource}"), time);
            informer.AddIndexer(InformerGroup<TCached>.ByNamespace, obj => [obj.Namespace ?? string.Empty]);
            foreach (var (name, index) in indexers)
            {
                informer.AddIndexer(name, index);
            }

            manager.Add(informer);
            members.Add((ns, informer));
        }

        return new InformerGroup<TCached>(members);
    }
}
