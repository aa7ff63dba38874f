"""Extraction on a Dask cluster (``kg ingest --cluster ADDRESS``, docs/cluster.md).

``kg.cluster.client`` runs an ingest from the client, ``kg.cluster.work`` is what runs on the workers,
``kg.cluster.nquads`` writes the N-Quads route's files, ``kg.cluster.cli`` joins them to ``kg ingest``. Only
``kg.cluster.cli`` may be imported without Dask installed (``pip install 'claimgraph[cluster]'``).
"""
