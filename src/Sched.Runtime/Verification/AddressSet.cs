namespace Sched.Runtime.Verification;

/// <summary>
/// Disjoint address ranges [Start, End) of live tiles, ordered by start, with the neighbours of an address in O(log n) expected
/// (a treap). SortedSet's range views recount the whole set after every change, which made the memory check quadratic.
/// Priorities come from the tile id, so the shape of the tree, like everything in the verifier, is deterministic.
/// </summary>
internal sealed class AddressSet
{
    private sealed class Node((long Start, long End, int Id) key)
    {
        public (long Start, long End, int Id) Key { get; } = key;
        public ulong Priority { get; } = Mix((ulong)key.Id);
        public Node? Left { get; set; }
        public Node? Right { get; set; }
    }

    private Node? _root;

    public void Add((long Start, long End, int Id) key) => _root = Insert(_root, new Node(key));

    public void Remove((long Start, long End, int Id) key) => _root = Delete(_root, key);

    /// <summary>The live range that overlaps [start, stop), if any: the last one starting at or before start, or the first after.</summary>
    public (long Start, long End, int Id)? Overlapping(long start, long stop)
    {
        (long Start, long End, int Id)? floor = null, ceiling = null;
        for (var n = _root; n is not null;)
            if (n.Key.Start <= start) (floor, n) = (n.Key, n.Right);
            else (ceiling, n) = (n.Key, n.Left);
        if (floor is { } f && f.End > start) return f;
        return ceiling is { } c && c.Start < stop ? c : null;
    }

    private static Node Insert(Node? root, Node node)
    {
        if (root is null) return node;
        if (node.Key.CompareTo(root.Key) < 0)
        {
            root.Left = Insert(root.Left, node);
            if (root.Left.Priority > root.Priority) root = RotateRight(root);
        }
        else
        {
            root.Right = Insert(root.Right, node);
            if (root.Right.Priority > root.Priority) root = RotateLeft(root);
        }
        return root;
    }

    private static Node? Delete(Node? root, (long, long, int) key)
    {
        if (root is null) return null;
        var order = key.CompareTo(root.Key);
        if (order < 0) root.Left = Delete(root.Left, key);
        else if (order > 0) root.Right = Delete(root.Right, key);
        else return Merge(root.Left, root.Right);
        return root;
    }

    private static Node? Merge(Node? left, Node? right)
    {
        if (left is null) return right;
        if (right is null) return left;
        if (left.Priority > right.Priority)
        {
            left.Right = Merge(left.Right, right);
            return left;
        }
        right.Left = Merge(left, right.Left);
        return right;
    }

    private static Node RotateRight(Node n)
    {
        var l = n.Left!;
        (n.Left, l.Right) = (l.Right, n);
        return l;
    }

    private static Node RotateLeft(Node n)
    {
        var r = n.Right!;
        (n.Right, r.Left) = (r.Left, n);
        return r;
    }

    private static ulong Mix(ulong z)
    {
        z = (z + 0x9E37_79B9_7F4A_7C15UL ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
