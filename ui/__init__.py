"""The Streamlit app around svd_geo: cached wrappers, session state, the shared sidebar and page widgets."""
